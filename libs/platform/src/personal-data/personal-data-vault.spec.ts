import { Pool } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import { PERSONAL_DATA_DDL, PersonalDataVault } from './personal-data-vault';

describe('personal data vault (AES-256-GCM, a key per member)', () => {
  let pool: Pool;
  let vault: PersonalDataVault;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('vault'), max: 2 });
    await pool.query(PERSONAL_DATA_DDL);
    vault = new PersonalDataVault({ query: async (text, values) => (await pool.query(text, values)).rows });
  });
  afterAll(async () => pool.end());

  it('seals without plaintext and opens for the same member only', async () => {
    const sealed = await vault.seal('m-1', { name: 'Ada Lovelace', email: 'ada@example.com', birthDate: '1815-12-10' });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toMatch(/Ada|example|1815/);
    expect(await vault.open('m-1', sealed)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', birthDate: '1815-12-10' });
    await vault.seal('m-2', { name: 'Other' });
    expect(await vault.open('m-2', sealed)).toBeUndefined();
  });

  it('cannot open anything once the key is erased, and erasing twice is harmless', async () => {
    const sealed = await vault.seal('m-3', { email: 'gone@example.com' });
    expect(await vault.erase('m-3')).toBe(true);
    expect(await vault.open('m-3', sealed)).toBeUndefined();
    expect(await new PersonalDataVault({ query: async (t, v) => (await pool.query(t, v)).rows }).open('m-3', sealed)).toBeUndefined();
    expect(await vault.erase('m-3')).toBe(false);
  });

  it('refuses tampered data', async () => {
    const sealed = await vault.seal('m-4', { name: 'Bob' });
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('{"name":"Eve"}').toString('base64url')].join('.');
    expect(await vault.open('m-4', tampered)).toBeUndefined();
  });
});

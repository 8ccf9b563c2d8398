/**
 * Opens a member's sealed personal data for the read models (the vault in
 * production). Undefined once the member's key is erased, so a rebuild after
 * an erasure produces rows without personal data.
 */
export type PersonalDataReader = (
  memberId: string,
  sealed: string,
) => Promise<{ readonly name?: string; readonly email?: string; readonly birthDate?: string } | undefined>;

/** For tools that replay the log without access to the keys: every member reads as erased. */
export const NO_PERSONAL_DATA: PersonalDataReader = () => Promise.resolve(undefined);

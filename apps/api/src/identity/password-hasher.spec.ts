import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id, a fresh salt each time, and verifies only the right password', async () => {
    const a = await hasher.hash('teksin-demo');
    const b = await hasher.hash('teksin-demo');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    await expect(hasher.verify(a, 'teksin-demo')).resolves.toBe(true);
    await expect(hasher.verify(a, 'Teksin-demo')).resolves.toBe(false);
    await expect(hasher.verify(a, '')).resolves.toBe(false);
  });

  it('refuses accounts without a hash, and anything that is not an argon2id hash', async () => {
    await expect(hasher.verify(null, 'teksin-demo')).resolves.toBe(false);
    await expect(hasher.verify('', '')).resolves.toBe(false);
    await expect(hasher.verify('teksin-demo', 'teksin-demo')).resolves.toBe(false);
    await expect(hasher.verify('$argon2id$garbage', 'x')).resolves.toBe(false);
  });
});

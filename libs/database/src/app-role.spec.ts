import { appRoleOf } from './app-role';

describe('appRoleOf', () => {
  const owner = 'postgres://teksin:ownerpw@db:5432/teksin';

  it('is the role of DATABASE_URL when it is not the owner, with its password', () => {
    expect(appRoleOf('postgres://teksin_app:s%40cret@db:5432/teksin', owner)).toEqual({ name: 'teksin_app', password: 's@cret' });
  });

  it('keeps the password of an existing role when the URL carries none', () => {
    expect(appRoleOf('postgres://teksin_app@db:5432/teksin', owner)).toEqual({ name: 'teksin_app', password: null });
  });

  it('is null for a one-role setup (the same user migrates and serves)', () => {
    expect(appRoleOf(owner, owner)).toBeNull();
    expect(appRoleOf('postgres://teksin:other@db2:5432/teksin', owner)).toBeNull();
  });
});

import type { StaffRole } from '../../../../libs/domain/src';
import { accessScope } from './access-scope';

const account = (roles: StaffRole[], more: Partial<{ departmentId: string; branchId: string; district: string; neighbourhood: string }> = {}) => ({
  roles,
  departmentId: null,
  branchId: null,
  district: null,
  neighbourhood: null,
  ...more,
});

describe('accessScope', () => {
  it.each<[StaffRole[]]>([[['AGENT']], [['COORDINATOR', 'AGENT']], [['AUDITOR']], [['ADMIN']]])('%j: the whole organisation', (roles) => {
    expect(accessScope(account(roles))).toEqual({ kind: 'ALL' });
  });

  it('department staff: their department, and their branch unless they head the department', () => {
    expect(accessScope(account(['EXPERT'], { departmentId: 'fen-isleri', branchId: 'fen-yol-bakim' }))).toEqual({ kind: 'DEPARTMENT', departmentId: 'fen-isleri', branchId: 'fen-yol-bakim' });
    expect(accessScope(account(['MANAGER', 'APPROVER'], { departmentId: 'fen-isleri', branchId: 'fen-altyapi' }))).toEqual({ kind: 'DEPARTMENT', departmentId: 'fen-isleri', branchId: 'fen-altyapi' });
    expect(accessScope(account(['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], { departmentId: 'meski-su', branchId: 'meski-ariza' }))).toEqual({ kind: 'DEPARTMENT', departmentId: 'meski-su', branchId: null });
    expect(accessScope(account(['EXPERT']))).toEqual({ kind: 'NONE' });
  });

  it('a muhtar: one neighbourhood', () => {
    expect(accessScope(account(['MUHTAR'], { district: 'Yenişehir', neighbourhood: 'Menteş' }))).toEqual({ kind: 'NEIGHBOURHOOD', district: 'Yenişehir', neighbourhood: 'Menteş' });
  });

  it('tradespeople and council members: their own requests', () => {
    expect(accessScope(account(['TRADESPERSON']))).toEqual({ kind: 'OWN_REQUESTS' });
    expect(accessScope(account(['COUNCIL_MEMBER']))).toEqual({ kind: 'OWN_REQUESTS' });
  });

  it('no role: nothing', () => {
    expect(accessScope(account([]))).toEqual({ kind: 'NONE' });
  });
});

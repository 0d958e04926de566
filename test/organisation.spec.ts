import { OrganisationActivities } from '../activities/organisation.activities';
import { OrganisationRepository } from '../libs/database/src/organisation.repository';
import { startTestStack, type TestStack } from './support/test-stack';

/** The approval chain comes from the organisation's hierarchy, as the department is set up. */
describe('approval chains from the organisation', () => {
  let stack: TestStack;
  let org: OrganisationActivities;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    org = new OrganisationActivities(new OrganisationRepository(stack.db));
    await stack.db.query(`
      INSERT INTO branches (id, department_id, name) VALUES
        ('meski-sayac', 'meski-su', 'Sayaç Şube Müdürlüğü'),
        ('meski-kalite', 'meski-su', 'Kalite Kontrol Şube Müdürlüğü')
      ON CONFLICT DO NOTHING;
      INSERT INTO staff (id, name, phone, roles, department_id, branch_id, approval_level) VALUES
        ('expert.meski.senior', 'Kıdemli Uzman', NULL, '{EXPERT,APPROVER}', 'meski-su', 'meski-kalite', 1),
        ('expert.meski.sayac', 'Sayaç Uzmanı', NULL, '{EXPERT}', 'meski-su', 'meski-sayac', NULL)
      ON CONFLICT DO NOTHING`);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('climbs the branch manager, the deputy and the head (three levels at MESKİ)', async () => {
    await expect(org.computeApprovalChain({ departmentId: 'meski-su', expertId: 'expert.meski.emre' })).resolves.toEqual([
      { level: 1, approverId: 'mgr.meski.kemal' },
      { level: 2, approverId: 'deputy.meski.oya' },
      { level: 3, approverId: 'head.meski.leyla' },
    ]);
  });

  it('picks the manager of the expert’s own branch', async () => {
    await expect(org.computeApprovalChain({ departmentId: 'fen-isleri', expertId: 'expert.fen.zeynep' })).resolves.toEqual([
      { level: 1, approverId: 'mgr.fen.seda' },
      { level: 2, approverId: 'head.fen.fatma' },
    ]);
  });

  it('starts above an expert who is an approver too', async () => {
    await expect(org.computeApprovalChain({ departmentId: 'meski-su', expertId: 'expert.meski.senior' })).resolves.toEqual([
      { level: 2, approverId: 'deputy.meski.oya' },
      { level: 3, approverId: 'head.meski.leyla' },
    ]);
  });

  it('skips a branch level the expert’s branch has no holder for, instead of borrowing another branch’s', async () => {
    await expect(org.computeApprovalChain({ departmentId: 'meski-su', expertId: 'expert.meski.sayac' })).resolves.toEqual([
      { level: 2, approverId: 'deputy.meski.oya' },
      { level: 3, approverId: 'head.meski.leyla' },
    ]);
  });
});

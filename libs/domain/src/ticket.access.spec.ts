import { canOpen, canReach, isPlatformUser, seesFullPhone, seesInternalNotes, seesRequester, type Reader, type TicketAccessFacts } from './ticket.access';

const ticket = (overrides: Partial<TicketAccessFacts> = {}): TicketAccessFacts => ({
  departmentId: 'fen-isleri',
  assigneeId: 'expert.fen.ali',
  approverIds: ['mgr.fen.hasan', 'head.fen.fatma'],
  district: 'Yenişehir',
  neighbourhood: 'Menteş',
  submittedBy: null,
  followerIds: [],
  actorIds: [],
  ...overrides,
});
const reader = (id: string, roles: Reader['roles'], departmentId: string | null = null, extra: Partial<Reader> = {}): Reader => ({ id, roles, departmentId, ...extra });

describe('canOpen', () => {
  it.each<[string, Reader]>([
    ['an agent', reader('agent.elif', ['AGENT'])],
    ['a coordinator', reader('coord.ayse', ['COORDINATOR'])],
    ['an auditor', reader('auditor.nur', ['AUDITOR'])],
    ['an admin', reader('admin.can', ['ADMIN'])],
    ['an expert of the department', reader('expert.fen.zeynep', ['EXPERT'], 'fen-isleri')],
    ['the assigned expert', reader('expert.fen.ali', ['EXPERT'], 'fen-isleri')],
    ['the department head', reader('head.fen.fatma', ['DEPARTMENT_HEAD', 'APPROVER'], 'fen-isleri')],
    ['an approver of the chain from another department', reader('mgr.fen.hasan', ['APPROVER'], 'elsewhere')],
    ['the muhtar of the neighbourhood', reader('muhtar.mentes', ['MUHTAR'], null, { neighbourhood: { district: 'Yenişehir', neighbourhood: 'Menteş' } })],
    ['a deputy for a manager of the department', reader('deputy', ['APPROVER'], 'ulasim', { standsInFor: [reader('mgr.fen.hasan', ['MANAGER'], 'fen-isleri')] })],
  ])('lets %s open it', (_name, r) => {
    expect(canOpen(r, ticket())).toBe(true);
  });

  it.each<[string, Reader]>([
    ['an expert of another department', reader('expert.ulasim.burak', ['EXPERT'], 'ulasim')],
    ['a head of another department', reader('head.park.murat', ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], 'park-bahceler')],
    ['a department role without a department', reader('floating', ['MANAGER'], null)],
    ['the muhtar of another neighbourhood', reader('muhtar.x', ['MUHTAR'], null, { neighbourhood: { district: 'Yenişehir', neighbourhood: 'Cumhuriyet' } })],
    ['the muhtar of a same-named neighbourhood in another district', reader('muhtar.y', ['MUHTAR'], null, { neighbourhood: { district: 'Mezitli', neighbourhood: 'Menteş' } })],
    ['a muhtar without a neighbourhood', reader('muhtar.z', ['MUHTAR'])],
    ['a council member who did not submit or follow it', reader('meclis.hakan', ['COUNCIL_MEMBER'])],
    ['a tradesperson who did not submit or follow it', reader('esnaf.kemal', ['TRADESPERSON'])],
    ['a deputy whose stand-in is elsewhere', reader('deputy', ['APPROVER'], 'ulasim', { standsInFor: [reader('head.park.murat', ['DEPARTMENT_HEAD'], 'park-bahceler')] })],
  ])('keeps it from %s', (_name, r) => {
    expect(canOpen(r, ticket())).toBe(false);
  });

  it('lets a platform user open what they submitted or follow, and nothing else', () => {
    const council = reader('meclis.hakan', ['COUNCIL_MEMBER']);
    expect(canOpen(council, ticket({ submittedBy: 'meclis.hakan' }))).toBe(true);
    expect(canOpen(council, ticket({ followerIds: ['x', 'meclis.hakan'] }))).toBe(true);
    expect(canOpen(council, ticket({ submittedBy: 'meclis.hakan2', followerIds: ['meclis.hak'] }))).toBe(false);
  });

  it('lets staff who acted on it keep reading it after it left their department or chain (a reopen back to triage)', () => {
    const reopened = ticket({ departmentId: null, assigneeId: null, approverIds: [], actorIds: ['coord.ayse', 'expert.fen.ali', 'mgr.fen.hasan'] });
    expect(canOpen(reader('expert.fen.ali', ['EXPERT'], 'fen-isleri'), reopened)).toBe(true);
    expect(canOpen(reader('mgr.fen.hasan', ['MANAGER', 'APPROVER'], 'fen-isleri'), reopened)).toBe(true);
    // Look-alike ids, a colleague who did not act, and whoever an actor stands in for do not.
    expect(canOpen(reader('expert.fen.al', ['EXPERT'], 'fen-isleri'), reopened)).toBe(false);
    expect(canOpen(reader('expert.fen.ali2', ['EXPERT'], 'fen-isleri'), reopened)).toBe(false);
    expect(canOpen(reader('expert.fen.zeynep', ['EXPERT'], 'fen-isleri'), reopened)).toBe(false);
    expect(canOpen(reader('deputy', ['APPROVER'], 'ulasim', { standsInFor: [reader('head.fen.fatma', ['DEPARTMENT_HEAD'], 'fen-isleri')] }), reopened)).toBe(false);
    // Reading only: commands are gated by canReach, which acting does not widen.
    expect(canReach(reader('expert.fen.ali', ['EXPERT'], 'fen-isleri'), reopened)).toBe(false);
    expect(canReach(reader('mgr.fen.hasan', ['MANAGER', 'APPROVER'], 'fen-isleri'), reopened)).toBe(false);
    expect(canReach(reader('coord.ayse', ['COORDINATOR']), reopened)).toBe(true);
  });

  it('keeps a ticket in triage (no department) from department staff', () => {
    expect(canOpen(reader('expert.fen.zeynep', ['EXPERT'], 'fen-isleri'), ticket({ departmentId: null, assigneeId: null, approverIds: [] }))).toBe(false);
  });
});

describe('personal data', () => {
  it('shows the full phone only to the coordination center and the assigned expert', () => {
    expect(seesFullPhone(reader('agent.elif', ['AGENT']), ticket())).toBe(true);
    expect(seesFullPhone(reader('coord.ayse', ['COORDINATOR']), ticket())).toBe(true);
    expect(seesFullPhone(reader('expert.fen.ali', ['EXPERT'], 'fen-isleri'), ticket())).toBe(true);
    expect(seesFullPhone(reader('expert.fen.zeynep', ['EXPERT'], 'fen-isleri'), ticket())).toBe(false);
    expect(seesFullPhone(reader('head.fen.fatma', ['DEPARTMENT_HEAD'], 'fen-isleri'), ticket())).toBe(false);
    expect(seesFullPhone(reader('auditor.nur', ['AUDITOR']), ticket())).toBe(false);
    expect(seesFullPhone(reader('expert.fen.ali', ['EXPERT'], 'fen-isleri'), ticket({ assigneeId: null }))).toBe(false);
  });

  it('keeps internal notes and the requester from platform users (except their own submissions)', () => {
    const muhtar = reader('muhtar.mentes', ['MUHTAR']);
    expect(isPlatformUser(muhtar)).toBe(true);
    expect(seesInternalNotes(muhtar)).toBe(false);
    expect(seesRequester(muhtar, ticket())).toBe(false);
    expect(seesRequester(muhtar, ticket({ submittedBy: 'muhtar.mentes' }))).toBe(true);
    expect(seesInternalNotes(reader('expert.fen.ali', ['EXPERT'], 'fen-isleri'))).toBe(true);
    expect(seesRequester(reader('head.fen.fatma', ['DEPARTMENT_HEAD'], 'fen-isleri'), ticket())).toBe(true);
  });
});

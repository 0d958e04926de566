import type { DataSource, EntityManager } from 'typeorm';
import type { StaffRole } from '../../domain/src';
import { hashPassword } from './password';
import { CATALOGUE_DEPARTMENTS, CATALOGUE_REFERRAL_INSTITUTIONS, CATEGORY_CATALOGUE_V2, CATEGORY_CATALOGUE_VERSION } from './data/category-catalogue.v2';

/**
 * The demo organisation: both institutions, four departments with approval hierarchies of
 * different lengths, staff for every role, platform users (muhtar, tradesperson, council
 * member), an administrator, a deputy in force, categories and the referral directory.
 * Idempotent (upserts by id), so `npm start` runs it on every boot.
 *
 * Every demo account signs in with its id as the username and DEMO_PASSWORD. Only for
 * development and tests: SEED_DEMO is off unless `npm start`, the tests or the operator turn it on.
 */

/** The one documented password of every demo account (README: "Demo accounts"). */
export const DEMO_PASSWORD = 'teksin-demo';

const institutions = [
  { id: 'MUNICIPALITY', name: 'Mersin Büyükşehir Belediyesi', name_en: 'Mersin Metropolitan Municipality' },
  { id: 'WATER_UTILITY', name: 'MESKİ Genel Müdürlüğü', name_en: 'MESKİ Water and Sewerage Administration' },
];

const departments = [
  { id: 'fen-isleri', institution_id: 'MUNICIPALITY', name: 'Fen İşleri Dairesi Başkanlığı', name_en: 'Public Works Department', assignment_mode: 'MANUAL' },
  { id: 'park-bahceler', institution_id: 'MUNICIPALITY', name: 'Park ve Bahçeler Dairesi Başkanlığı', name_en: 'Parks and Gardens Department', assignment_mode: 'LEAST_LOADED' },
  { id: 'ulasim', institution_id: 'MUNICIPALITY', name: 'Ulaşım Dairesi Başkanlığı', name_en: 'Transportation Department', assignment_mode: 'MANUAL' },
  { id: 'meski-su', institution_id: 'WATER_UTILITY', name: 'MESKİ Su ve Kanalizasyon Dairesi', name_en: 'MESKİ Water and Sewerage Department', assignment_mode: 'MANUAL' },
  // The catalogue's other departments (no demo staff: their tickets wait for a manager the city adds).
  ...CATALOGUE_DEPARTMENTS,
];

const branches = [
  { id: 'fen-yol-bakim', department_id: 'fen-isleri', name: 'Yol Bakım ve Onarım Şube Müdürlüğü' },
  { id: 'fen-altyapi', department_id: 'fen-isleri', name: 'Altyapı Koordinasyon Şube Müdürlüğü' },
  { id: 'park-yesil-alan', department_id: 'park-bahceler', name: 'Yeşil Alan Bakım Şube Müdürlüğü' },
  { id: 'meski-ariza', department_id: 'meski-su', name: 'Arıza Onarım Şube Müdürlüğü' },
];

type StaffSeed = {
  id: string;
  name: string;
  phone: string | null;
  roles: StaffRole[];
  department_id: string | null;
  branch_id: string | null;
  approval_level: number | null;
  district?: string | null;
  neighbourhood?: string | null;
};

const staff: StaffSeed[] = [
  // İletişim Koordinasyon Merkezi
  { id: 'agent.elif', name: 'Elif Yılmaz', phone: '+905550000001', roles: ['AGENT'], department_id: null, branch_id: null, approval_level: null },
  { id: 'coord.ayse', name: 'Ayşe Demir', phone: '+905550000002', roles: ['COORDINATOR', 'AGENT'], department_id: null, branch_id: null, approval_level: null },
  { id: 'coord.mehmet', name: 'Mehmet Kaya', phone: '+905550000003', roles: ['COORDINATOR'], department_id: null, branch_id: null, approval_level: null },
  { id: 'auditor.nur', name: 'Nur Aksoy', phone: null, roles: ['AUDITOR'], department_id: null, branch_id: null, approval_level: null },
  // Fen İşleri: expert → branch manager (1) → department head (2)
  { id: 'expert.fen.ali', name: 'Ali Çelik', phone: '+905550000011', roles: ['EXPERT'], department_id: 'fen-isleri', branch_id: 'fen-yol-bakim', approval_level: null },
  { id: 'expert.fen.zeynep', name: 'Zeynep Şahin', phone: '+905550000012', roles: ['EXPERT'], department_id: 'fen-isleri', branch_id: 'fen-altyapi', approval_level: null },
  { id: 'mgr.fen.hasan', name: 'Hasan Öztürk', phone: '+905550000013', roles: ['MANAGER', 'APPROVER'], department_id: 'fen-isleri', branch_id: 'fen-yol-bakim', approval_level: 1 },
  { id: 'mgr.fen.seda', name: 'Seda Arslan', phone: '+905550000014', roles: ['MANAGER', 'APPROVER'], department_id: 'fen-isleri', branch_id: 'fen-altyapi', approval_level: 1 },
  { id: 'head.fen.fatma', name: 'Fatma Koç', phone: '+905550000015', roles: ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], department_id: 'fen-isleri', branch_id: null, approval_level: 2 },
  // Park ve Bahçeler: least-loaded assignment, two levels
  { id: 'expert.park.can', name: 'Can Aydın', phone: '+905550000021', roles: ['EXPERT'], department_id: 'park-bahceler', branch_id: 'park-yesil-alan', approval_level: null },
  { id: 'expert.park.deniz', name: 'Deniz Yıldız', phone: '+905550000022', roles: ['EXPERT'], department_id: 'park-bahceler', branch_id: 'park-yesil-alan', approval_level: null },
  { id: 'mgr.park.selin', name: 'Selin Erdoğan', phone: '+905550000023', roles: ['MANAGER', 'APPROVER'], department_id: 'park-bahceler', branch_id: 'park-yesil-alan', approval_level: 1 },
  { id: 'head.park.murat', name: 'Murat Polat', phone: '+905550000024', roles: ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], department_id: 'park-bahceler', branch_id: null, approval_level: 2 },
  // Ulaşım: a single level (the head approves directly)
  { id: 'expert.ulasim.burak', name: 'Burak Kurt', phone: '+905550000031', roles: ['EXPERT'], department_id: 'ulasim', branch_id: null, approval_level: null },
  { id: 'head.ulasim.gul', name: 'Gül Özdemir', phone: '+905550000032', roles: ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], department_id: 'ulasim', branch_id: null, approval_level: 1 },
  // MESKİ: three levels
  { id: 'expert.meski.emre', name: 'Emre Doğan', phone: '+905550000041', roles: ['EXPERT'], department_id: 'meski-su', branch_id: 'meski-ariza', approval_level: null },
  { id: 'mgr.meski.kemal', name: 'Kemal Aslan', phone: '+905550000042', roles: ['MANAGER', 'APPROVER'], department_id: 'meski-su', branch_id: 'meski-ariza', approval_level: 1 },
  { id: 'deputy.meski.oya', name: 'Oya Kılıç', phone: '+905550000043', roles: ['APPROVER'], department_id: 'meski-su', branch_id: null, approval_level: 2 },
  { id: 'head.meski.leyla', name: 'Leyla Çetin', phone: '+905550000044', roles: ['DEPARTMENT_HEAD', 'MANAGER', 'APPROVER'], department_id: 'meski-su', branch_id: null, approval_level: 3 },
  // Administration
  { id: 'admin.can', name: 'Can Yücel', phone: null, roles: ['ADMIN'], department_id: null, branch_id: null, approval_level: null },
  // Platform users: a muhtar (one neighbourhood), a tradesperson, a council member
  { id: 'muhtar.mentes', name: 'Hüseyin Acar', phone: '+905550000051', roles: ['MUHTAR'], department_id: null, branch_id: null, approval_level: null, district: 'Yenişehir', neighbourhood: 'Menteş' },
  { id: 'esnaf.kemal', name: 'Kemal Usta', phone: '+905550000052', roles: ['TRADESPERSON'], department_id: null, branch_id: null, approval_level: null },
  { id: 'meclis.hakan', name: 'Hakan Yalçın', phone: '+905550000053', roles: ['COUNCIL_MEMBER'], department_id: null, branch_id: null, approval_level: null },
];

const DAY_MS = 86_400_000;
/** Vekalet in force whenever the seed runs: Oya stands in for Leyla from yesterday for a week. */
const deputies = (now: Date) => [
  {
    id: '7e1c4f0a-5d1b-4c53-9a53-6d2f1b0c0a01',
    principal_id: 'head.meski.leyla',
    deputy_id: 'deputy.meski.oya',
    valid_from: new Date(now.getTime() - DAY_MS),
    valid_to: new Date(now.getTime() + 7 * DAY_MS),
    reason: 'Yıllık izin (annual leave)',
    created_by: 'admin.can',
  },
];

/** The catalogue's current version, as the migration applied it (data/category-catalogue.v2.ts). */
const categories = CATEGORY_CATALOGUE_V2.map((c) => ({
  code: c.code,
  name: c.name,
  name_en: c.nameEn,
  institution_id: c.institutionId,
  default_department_id: c.defaultDepartmentId,
  referral_institution_id: c.referralInstitutionId,
  sla_seconds: c.slaHours * 3600,
  keywords: c.keywords,
  catalogue_version: CATEGORY_CATALOGUE_VERSION,
}));

const referralInstitutions = [
  ...CATALOGUE_REFERRAL_INSTITUTIONS,
  { id: 'district-municipality', name: 'İlçe Belediyesi', name_en: 'District municipality', contact: 'İlgili ilçe belediyesinin çağrı merkezi', description: 'Mahalle içi çöp toplama, ilçe yolları' },
  { id: 'cimer', name: 'CİMER (Cumhurbaşkanlığı İletişim Merkezi)', name_en: 'CİMER (Presidential Communication Center)', contact: 'Hat 150, www.cimer.gov.tr', description: 'Merkezi yönetimin görev alanındaki başvurular' },
];

async function upsert(m: EntityManager, table: string, key: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    const placeholders = columns.map((_, i) => `$${i + 1}`);
    const updates = columns.filter((c) => c !== key).map((c) => `${c} = EXCLUDED.${c}`);
    await m.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')})
       ON CONFLICT (${key}) DO UPDATE SET ${updates.join(', ')}`,
      columns.map((c) => row[c]),
    );
  }
}

export async function seedDemoData(dataSource: DataSource, now = new Date()): Promise<void> {
  // Hashed once per run and shared by every demo account: one argon2id hash (~50 ms), not 23.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts = staff.map((s) => ({ district: null, neighbourhood: null, ...s, password_hash: passwordHash }));
  await dataSource.transaction(async (m) => {
    await upsert(m, 'institutions', 'id', institutions);
    await upsert(m, 'departments', 'id', departments);
    await upsert(m, 'branches', 'id', branches);
    await upsert(m, 'staff', 'id', accounts);
    await upsert(m, 'deputies', 'id', deputies(now));
    await upsert(m, 'referral_institutions', 'id', referralInstitutions);
    await upsert(m, 'categories', 'code', categories);
  });
}

/**
 * Version 2 of the category catalogue: what a metropolitan municipality and its water utility
 * are called about, each category with its department (or the institution it is referred to),
 * its SLA and the everyday words callers use (Turkish and English; the console folds Turkish
 * letters when it matches, so "kaldirim" finds "kaldırım").
 *
 * Frozen once released: migration 1765820000000 applies exactly this list, and the demo seed
 * upserts it. A later change is a new file (v3) and a new migration, never an edit here. The
 * eight categories of version 1 keep their names, departments and SLAs (existing tickets keep
 * theirs); version 2 only gives them keywords.
 */
export const CATEGORY_CATALOGUE_VERSION = 2;

export interface CatalogueCategory {
  code: string;
  name: string;
  nameEn: string;
  institutionId: 'MUNICIPALITY' | 'WATER_UTILITY';
  /** The department that takes it, or null when the coordinator routes it (or refers it). */
  defaultDepartmentId: string | null;
  /** Outside our jurisdiction: the institution it is usually referred to. */
  referralInstitutionId: string | null;
  slaHours: number;
  keywords: string[];
}

/** Departments version 2 routes to that the first organisation did not have. */
export const CATALOGUE_DEPARTMENTS = [
  { id: 'zabita', institution_id: 'MUNICIPALITY', name: 'Zabıta Dairesi Başkanlığı', name_en: 'Municipal Police Department', assignment_mode: 'MANUAL' },
  { id: 'cevre-koruma', institution_id: 'MUNICIPALITY', name: 'Çevre Koruma ve Kontrol Dairesi Başkanlığı', name_en: 'Environmental Protection Department', assignment_mode: 'MANUAL' },
  { id: 'veteriner', institution_id: 'MUNICIPALITY', name: 'Veteriner İşleri Şube Müdürlüğü', name_en: 'Veterinary Services', assignment_mode: 'MANUAL' },
  { id: 'imar', institution_id: 'MUNICIPALITY', name: 'İmar ve Şehircilik Dairesi Başkanlığı', name_en: 'Zoning and Urban Planning Department', assignment_mode: 'MANUAL' },
  { id: 'sosyal-hizmetler', institution_id: 'MUNICIPALITY', name: 'Sosyal Hizmetler Dairesi Başkanlığı', name_en: 'Social Services Department', assignment_mode: 'MANUAL' },
  { id: 'mezarliklar', institution_id: 'MUNICIPALITY', name: 'Mezarlıklar Şube Müdürlüğü', name_en: 'Cemeteries and Funeral Services', assignment_mode: 'MANUAL' },
] as const;

/** Referral institutions version 2 names (Mersin's electricity distributor is Toroslar EDAŞ). */
export const CATALOGUE_REFERRAL_INSTITUTIONS = [
  { id: 'toroslar-edas', name: 'Toroslar EDAŞ (elektrik dağıtım)', name_en: 'Toroslar EDAŞ (electricity distribution)', contact: 'Arıza hattı 186', description: 'Elektrik kesintisi, sokak aydınlatması arızası' },
  { id: 'karayollari', name: 'Karayolları Genel Müdürlüğü Bölge Müdürlüğü', name_en: 'General Directorate of Highways, regional office', contact: 'www.kgm.gov.tr', description: 'Devlet yolları ve otoyollar' },
] as const;

export const CATEGORY_CATALOGUE_V2: CatalogueCategory[] = [
  // Version 1, unchanged but for keywords.
  { code: 'ROAD_REPAIR', name: 'Yol, kaldırım ve asfalt onarımı', nameEn: 'Road and pavement repair', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'fen-isleri', referralInstitutionId: null, slaHours: 72,
    keywords: ['çukur', 'yol', 'asfalt', 'kaldırım', 'bozuk yol', 'parke taşı', 'göçük', 'yama', 'bordür', 'pothole', 'road', 'pavement', 'sidewalk', 'asphalt'] },
  { code: 'INFRASTRUCTURE', name: 'Altyapı çalışması', nameEn: 'Infrastructure works', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'fen-isleri', referralInstitutionId: null, slaHours: 120,
    keywords: ['altyapı', 'kazı', 'yol kazısı', 'çalışma', 'köprü', 'excavation', 'roadworks', 'bridge'] },
  { code: 'PARK_MAINTENANCE', name: 'Park ve yeşil alan bakımı', nameEn: 'Park and green area maintenance', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'park-bahceler', referralInstitutionId: null, slaHours: 120,
    keywords: ['park', 'bahçe', 'yeşil alan', 'ağaç', 'budama', 'çim', 'oyun parkı', 'salıncak', 'bank', 'sulama', 'tree', 'playground', 'bench', 'grass'] },
  { code: 'PUBLIC_TRANSPORT', name: 'Toplu taşıma', nameEn: 'Public transport', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'ulasim', referralInstitutionId: null, slaHours: 48,
    keywords: ['otobüs', 'durak', 'sefer', 'şoför', 'dolmuş', 'minibüs', 'kentkart', 'hat', 'metro', 'bus', 'stop', 'driver', 'timetable', 'transit'] },
  { code: 'WATER_OUTAGE', name: 'Su kesintisi ve arızası', nameEn: 'Water outage or fault', institutionId: 'WATER_UTILITY', defaultDepartmentId: 'meski-su', referralInstitutionId: null, slaHours: 24,
    keywords: ['su', 'su kesintisi', 'su yok', 'su arızası', 'boru patlağı', 'patlak boru', 'basınç', 'bulanık su', 'vana', 'water', 'no water', 'burst pipe', 'leak'] },
  { code: 'SEWERAGE', name: 'Kanalizasyon tıkanıklığı', nameEn: 'Sewer blockage', institutionId: 'WATER_UTILITY', defaultDepartmentId: 'meski-su', referralInstitutionId: null, slaHours: 24,
    keywords: ['kanalizasyon', 'lağım', 'rögar', 'tıkanıklık', 'taşma', 'koku', 'mazgal', 'yağmur suyu', 'sewer', 'drain', 'manhole', 'overflow', 'smell'] },
  { code: 'GENERAL_INFO', name: 'Genel bilgi talebi', nameEn: 'General information', institutionId: 'MUNICIPALITY', defaultDepartmentId: null, referralInstitutionId: null, slaHours: 24,
    keywords: ['bilgi', 'soru', 'nasıl', 'telefon numarası', 'çalışma saatleri', 'information', 'question', 'opening hours'] },
  { code: 'OTHER', name: 'Diğer', nameEn: 'Other', institutionId: 'MUNICIPALITY', defaultDepartmentId: null, referralInstitutionId: null, slaHours: 72,
    keywords: ['diğer', 'başka', 'other'] },
  // New in version 2.
  { code: 'STREET_LIGHTING', name: 'Sokak aydınlatması arızası', nameEn: 'Street lighting fault', institutionId: 'MUNICIPALITY', defaultDepartmentId: null, referralInstitutionId: 'toroslar-edas', slaHours: 24,
    keywords: ['lamba', 'sokak lambası', 'aydınlatma', 'direk', 'karanlık', 'yanmıyor', 'ampul', 'street light', 'streetlight', 'lamp', 'lighting', 'dark'] },
  { code: 'POWER_OUTAGE', name: 'Elektrik kesintisi', nameEn: 'Power outage', institutionId: 'MUNICIPALITY', defaultDepartmentId: null, referralInstitutionId: 'toroslar-edas', slaHours: 24,
    keywords: ['elektrik', 'elektrik kesintisi', 'elektrik yok', 'trafo', 'kablo', 'power', 'electricity', 'blackout', 'outage'] },
  { code: 'STATE_ROAD', name: 'Devlet yolu ve otoyol', nameEn: 'State road or motorway', institutionId: 'MUNICIPALITY', defaultDepartmentId: null, referralInstitutionId: 'karayollari', slaHours: 72,
    keywords: ['otoyol', 'devlet yolu', 'karayolu', 'otoban', 'gişe', 'highway', 'motorway', 'state road'] },
  { code: 'TRAFFIC_SIGNALS', name: 'Trafik ışıkları, levha ve yol çizgileri', nameEn: 'Traffic lights, signs and road markings', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'ulasim', referralInstitutionId: null, slaHours: 24,
    keywords: ['trafik ışığı', 'trafik lambası', 'sinyalizasyon', 'sinyal', 'levha', 'tabela', 'yaya geçidi', 'yol çizgisi', 'kavşak', 'traffic light', 'signal', 'road sign', 'crossing'] },
  { code: 'PARKING', name: 'Otopark ve park ihlali', nameEn: 'Parking', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'ulasim', referralInstitutionId: null, slaHours: 48,
    keywords: ['otopark', 'park yeri', 'hatalı park', 'çekici', 'parking', 'tow'] },
  { code: 'STRAY_ANIMALS', name: 'Sokak hayvanları', nameEn: 'Stray animals', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'veteriner', referralInstitutionId: null, slaHours: 48,
    keywords: ['köpek', 'sokak köpeği', 'kedi', 'başıboş', 'yaralı hayvan', 'hayvan', 'ısırma', 'barınak', 'kısırlaştırma', 'stray', 'dog', 'cat', 'animal', 'injured animal'] },
  { code: 'PEST_CONTROL', name: 'İlaçlama (sivrisinek, haşere)', nameEn: 'Pest control (mosquitoes, vermin)', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'cevre-koruma', referralInstitutionId: null, slaHours: 72,
    keywords: ['ilaçlama', 'sivrisinek', 'haşere', 'fare', 'böcek', 'karasinek', 'mosquito', 'pest', 'rat', 'insects'] },
  { code: 'WASTE_COLLECTION', name: 'Çöp toplama ve temizlik', nameEn: 'Waste collection and cleaning', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'cevre-koruma', referralInstitutionId: null, slaHours: 24,
    keywords: ['çöp', 'çöp kutusu', 'konteyner', 'atık', 'moloz', 'temizlik', 'pislik', 'geri dönüşüm', 'garbage', 'rubbish', 'trash', 'waste', 'bin', 'recycling'] },
  { code: 'NOISE', name: 'Gürültü', nameEn: 'Noise', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'zabita', referralInstitutionId: null, slaHours: 24,
    keywords: ['gürültü', 'ses', 'yüksek müzik', 'müzik', 'eğlence yeri', 'inşaat gürültüsü', 'noise', 'loud', 'music'] },
  { code: 'MUNICIPAL_POLICE', name: 'Zabıta (işgal, seyyar satıcı, denetim)', nameEn: 'Municipal police (encroachment, street vendors, inspections)', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'zabita', referralInstitutionId: null, slaHours: 48,
    keywords: ['zabıta', 'seyyar satıcı', 'işportacı', 'kaldırım işgali', 'işgal', 'dilenci', 'ruhsatsız işyeri', 'fiyat', 'etiket', 'municipal police', 'street vendor', 'encroachment', 'beggar'] },
  { code: 'ILLEGAL_CONSTRUCTION', name: 'Kaçak yapı', nameEn: 'Illegal construction', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'imar', referralInstitutionId: null, slaHours: 120,
    keywords: ['kaçak yapı', 'kaçak inşaat', 'ruhsatsız bina', 'kaçak kat', 'imar', 'inşaat', 'illegal construction', 'unlicensed building', 'building'] },
  { code: 'SOCIAL_SUPPORT', name: 'Sosyal yardım ve destek', nameEn: 'Social support', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'sosyal-hizmetler', referralInstitutionId: null, slaHours: 120,
    keywords: ['sosyal yardım', 'yardım', 'gıda', 'erzak', 'kömür', 'yaşlı', 'engelli', 'evde bakım', 'tekerlekli sandalye', 'social support', 'aid', 'elderly', 'disabled', 'food'] },
  { code: 'FUNERAL_SERVICES', name: 'Cenaze ve defin hizmetleri', nameEn: 'Funeral and burial services', institutionId: 'MUNICIPALITY', defaultDepartmentId: 'mezarliklar', referralInstitutionId: null, slaHours: 4,
    keywords: ['cenaze', 'vefat', 'ölüm', 'defin', 'mezar', 'mezarlık', 'cenaze aracı', 'gasilhane', 'taziye', 'funeral', 'burial', 'cemetery', 'death'] },
  { code: 'WATER_BILLING', name: 'Su faturası, sayaç ve abonelik', nameEn: 'Water bill, meter and subscription', institutionId: 'WATER_UTILITY', defaultDepartmentId: 'meski-su', referralInstitutionId: null, slaHours: 72,
    keywords: ['fatura', 'su faturası', 'sayaç', 'abonelik', 'borç', 'endeks', 'yüksek fatura', 'water bill', 'meter', 'subscription', 'bill'] },
];

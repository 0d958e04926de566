import { CATEGORY_CATALOGUE_V2 } from '../../../../libs/database/src/data/category-catalogue.v2';
import { foldTurkish, searchCategories } from './category-search';

// As GET /categories lists them: by code (so the catalogue's own order decides nothing).
const byCode = [...CATEGORY_CATALOGUE_V2].sort((a, b) => a.code.localeCompare(b.code));
const codes = (query: string) => searchCategories(byCode, query).map((c) => c.code);

describe('foldTurkish', () => {
  it.each([
    ['KALDIRIM', 'kaldirim'],
    ['kaldırım', 'kaldirim'],
    ['İSTANBUL', 'istanbul'],
    ['Çukur', 'cukur'],
    ['ŞOFÖR', 'sofor'],
    ['ağaç', 'agac'],
    ['Gürültü', 'gurultu'],
    ['zabıta', 'zabita'],
    ['Hâl', 'hal'],
  ])('%s → %s', (text, folded) => expect(foldTurkish(text)).toBe(folded));
});

describe('searchCategories over the catalogue (version 2)', () => {
  it.each([
    ['çukur', 'ROAD_REPAIR'],
    ['cukur', 'ROAD_REPAIR'],
    ['ÇUKUR', 'ROAD_REPAIR'],
    ['kaldirim', 'ROAD_REPAIR'],
    ['KALDIRIM', 'ROAD_REPAIR'],
    ['pothole', 'ROAD_REPAIR'],
    ['lamba', 'STREET_LIGHTING'],
    ['aydınlatma', 'STREET_LIGHTING'],
    ['aydinlatma', 'STREET_LIGHTING'],
    ['street light', 'STREET_LIGHTING'],
    ['köpek', 'STRAY_ANIMALS'],
    ['kopek', 'STRAY_ANIMALS'],
    ['çöp', 'WASTE_COLLECTION'],
    ['cop', 'WASTE_COLLECTION'],
    ['gurultu', 'NOISE'],
    ['zabita', 'MUNICIPAL_POLICE'],
    ['kaçak yapı', 'ILLEGAL_CONSTRUCTION'],
    ['otobus', 'PUBLIC_TRANSPORT'],
    ['trafik ışığı', 'TRAFFIC_SIGNALS'],
    ['park', 'PARK_MAINTENANCE'],
    ['su yok', 'WATER_OUTAGE'],
    ['lağım', 'SEWERAGE'],
    ['sosyal yardim', 'SOCIAL_SUPPORT'],
    ['cenaze', 'FUNERAL_SERVICES'],
    ['funeral', 'FUNERAL_SERVICES'],
  ])('"%s" finds %s first', (query, code) => expect(codes(query)[0]).toBe(code));

  it('a word in several categories finds each ("lamba": street lights and traffic lights)', () => {
    expect(codes('lamba')).toEqual(expect.arrayContaining(['STREET_LIGHTING', 'TRAFFIC_SIGNALS']));
  });

  it('every word must fit: "çukur köpek" finds nothing', () => {
    expect(codes('çukur köpek')).toEqual([]);
  });

  it('an empty or blank query finds all, in the order given', () => {
    expect(codes('')).toEqual(byCode.map((c) => c.code));
    expect(codes('  ')).toHaveLength(byCode.length);
  });

  it('a category without keywords is found by its names and code', () => {
    const plain = [{ code: 'ROAD_REPAIR', name: 'Yol onarımı', nameEn: 'Road repair' }];
    expect(searchCategories(plain, 'onarim')).toEqual(plain);
    expect(searchCategories(plain, 'road_repair')).toEqual(plain);
    expect(searchCategories(plain, 'çukur')).toEqual([]);
  });

  it('a whole word ranks above a word that only starts with it', () => {
    const list = [
      { code: 'A', name: 'Suluboya', nameEn: 'a' },
      { code: 'B', name: 'Su', nameEn: 'b' },
    ];
    expect(searchCategories(list, 'su').map((c) => c.code)).toEqual(['B', 'A']);
  });
});

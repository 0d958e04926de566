import { smsSegments } from './sms-segments';

describe('smsSegments', () => {
  it('counts GSM-7 texts in septets: 160 in one, 153 per part beyond', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts the extension characters twice', () => {
    expect(smsSegments('€[]').units).toBe(6);
  });

  it('switches the whole text to UCS-2 for one Turkish letter: 70 in one, 67 per part', () => {
    expect(smsSegments('ı' + 'a'.repeat(69))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ş' + 'a'.repeat(133))).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(smsSegments('ğ' + 'a'.repeat(134)).segments).toBe(3);
  });

  it('keeps GSM letters that look Turkish (ü, ö, Ç) in GSM-7, but not ç', () => {
    expect(smsSegments('üöÇ').encoding).toBe('GSM-7');
    expect(smsSegments('ç').encoding).toBe('UCS-2');
  });
});

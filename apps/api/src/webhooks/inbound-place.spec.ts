import { placeOf } from './inbound-message.service';

describe('a WhatsApp location message’s place (Latitude, Longitude)', () => {
  it('reads the pin, kept to 6 decimals', () => {
    expect(placeOf({ Latitude: '36.7871234', Longitude: '34.5834567' })).toEqual({ lat: 36.787123, lng: 34.583457 });
    expect(placeOf({ Latitude: '-12.5', Longitude: '-179' })).toEqual({ lat: -12.5, lng: -179 });
  });

  it('is no place without both, or with anything that is not a position on Earth', () => {
    expect(placeOf({})).toBeNull();
    expect(placeOf({ Latitude: '36.78' })).toBeNull();
    for (const bad of ['91', '1e2', 'NaN', '36,78', '', ' 36.7']) expect(placeOf({ Latitude: bad, Longitude: '34.58' })).toBeNull();
    expect(placeOf({ Latitude: '36.78', Longitude: '180.5' })).toBeNull();
  });
});

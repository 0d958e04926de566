import { afterPhotosPublic, citizenMaySee, renderTrackingPhotos, type TrackingPhoto } from './tracking-photos';

const steps = (...types: string[]) => types.map((type) => ({ type }));

describe('the tracking page’s photos', () => {
  it('AFTER photos are public only once the resolution was approved and the ticket is resolved', () => {
    const approved = steps('RECEIVED', 'RESOLUTION_SUBMITTED', 'APPROVED_AT_LEVEL', 'RESOLUTION_APPROVED', 'FINALIZED');
    expect(afterPhotosPublic('RESOLVED', null, approved)).toBe(true);
    expect(afterPhotosPublic('CLOSED', 'RESOLVED', approved)).toBe(true);
    // Approved but not yet finalized, in approval, after a rejection, closed otherwise, reopened.
    expect(afterPhotosPublic('APPROVED', null, approved.slice(0, 4))).toBe(false);
    expect(afterPhotosPublic('IN_APPROVAL', null, steps('RECEIVED', 'RESOLUTION_SUBMITTED'))).toBe(false);
    expect(afterPhotosPublic('IN_PROGRESS', null, steps('RESOLUTION_SUBMITTED', 'RESOLUTION_REJECTED'))).toBe(false);
    expect(afterPhotosPublic('CLOSED', 'WITHDRAWN', approved)).toBe(false);
    expect(afterPhotosPublic('RESOLVED', null, steps('RESOLUTION_SUBMITTED', 'RESOLUTION_APPROVED', 'FINALIZED', 'REOPENED', 'ANSWERED_DIRECTLY'))).toBe(false);
    // Resolved without an approval (a direct answer): no AFTER photos.
    expect(afterPhotosPublic('RESOLVED', null, steps('RECEIVED', 'ANSWERED_DIRECTLY'))).toBe(false);
  });

  it('the citizen sees their own photos always, AFTER ones when public, never INTAKE or BEFORE', () => {
    expect(citizenMaySee('CITIZEN', false)).toBe(true);
    expect(citizenMaySee('AFTER', false)).toBe(false);
    expect(citizenMaySee('AFTER', true)).toBe(true);
    expect(citizenMaySee('INTAKE', true)).toBe(false);
    expect(citizenMaySee('BEFORE', true)).toBe(false);
  });

  it('renders thumbnails by kind with alt texts, a PDF as a labelled link, nothing when there is none', () => {
    const photo = (id: string, kind: TrackingPhoto['kind'], pdf = false): TrackingPhoto => ({
      id,
      kind,
      mediaType: pdf ? 'application/pdf' : 'image/jpeg',
      addedAt: '2026-01-01T10:00:00.000Z',
      displayUrl: `/attachments/${id}/display?sig=1.x`,
      thumbnailUrl: pdf ? null : `/attachments/${id}/thumbnail?sig=1.y`,
      urlsExpireAt: '2026-01-01T10:05:00.000Z',
    });
    expect(renderTrackingPhotos([], 'tr')).toBe('');
    const html = renderTrackingPhotos([photo('a', 'CITIZEN'), photo('b', 'AFTER'), photo('c', 'CITIZEN', true)], 'tr');
    expect(html).toContain('<h2 id="photos-h">Fotoğraflar</h2>');
    expect(html).toContain('<img src="/attachments/a/thumbnail?sig=1.y" alt="Gönderdiğiniz fotoğraflar: fotoğraf 1"');
    expect(html).toContain('data-kind="AFTER"');
    expect(html).toContain('PDF belge 2');
    expect(html.indexOf('data-kind="CITIZEN"')).toBeLessThan(html.indexOf('data-kind="AFTER"'));
    expect(renderTrackingPhotos([photo('b', 'AFTER')], 'en')).toContain('The work done');
  });
});

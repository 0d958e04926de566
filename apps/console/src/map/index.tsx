import { lazy, Suspense, type ReactElement } from 'react';

/*
 * The maps, loaded on first use: Leaflet and its clustering are a third of the console's code,
 * and the screens an agent opens all day (intake, queues) should not wait for them. Until the
 * chunk is there, an empty box of the map's size keeps the page from jumping.
 */

export { coordinate, round6 } from './coordinates';
export type { CountPoint, MapPoint } from './maps';

type Maps = typeof import('./maps');

function deferred<P extends object>(pick: (maps: Maps) => (props: P) => ReactElement, placeholder: string) {
  const Lazy = lazy(async () => ({ default: pick(await import('./maps')) }));
  return function DeferredMap(props: P) {
    return (
      <Suspense fallback={<div className={`map ${placeholder}`} aria-busy="true" />}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}

export const PlacePicker = deferred((maps) => maps.PlacePicker, 'map-intake');
export const TicketMap = deferred((maps) => maps.TicketMap, 'map-ticket');
export const ClusterMap = deferred((maps) => maps.ClusterMap, 'map-list');
export const CountMap = deferred((maps) => maps.CountMap, 'map-spots');

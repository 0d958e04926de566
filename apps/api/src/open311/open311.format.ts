import type { Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';

/** The two formats of GeoReport v2: the path's extension (`services.json`, `services.xml`). */
export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

export const isOpen311Format = (value: unknown): value is Open311Format => value === 'json' || value === 'xml';

/** The format a request path asks for; JSON unless it ends in `.xml` (used for errors before a route is known). */
export const formatOfPath = (path: string): Open311Format => (/\.xml$/i.test(path.split('?')[0]) ? 'xml' : 'json');

const CONTENT_TYPE: Record<Open311Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true, processEntities: true });

/**
 * One answer in both shapes: `json` as GeoReport's JSON (a list of objects, or an object) and
 * `xml` as the element tree under its root (`{ services: { service: [...] } }`). Null becomes an
 * empty element in XML, null in JSON.
 */
export interface Open311Body<Json = unknown> {
  /** Typed by the answer's schema (open311-views.schema.ts). */
  json: Json;
  xml: Record<string, unknown>;
}

/** The XML document: declaration with UTF-8 (the spec requires it), then the tree. */
export function xmlDocument(tree: Record<string, unknown>): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, ...tree });
}

export function sendOpen311(res: Response, format: Open311Format, status: number, body: Open311Body): void {
  res.status(status).type(CONTENT_TYPE[format]).send(format === 'json' ? JSON.stringify(body.json) : xmlDocument(body.xml));
}

/** GeoReport's error list: `[{"code": 403, "description": "…"}]`, `<errors><error><code>…</code><description>…</description></error></errors>`. */
export function errorBody(status: number, description: string): Open311Body {
  const errors = [{ code: status, description }];
  return { json: errors, xml: { errors: { error: errors } } };
}

/** A list of records under a root and an item element, in both shapes. */
export const listBody = <T extends object>(root: string, item: string, items: T[]): Open311Body<T[]> => ({ json: items, xml: { [root]: { [item]: items } } });

/**
 * What an import takes and what it reports (the ingest log's record), apart from the catalog store
 * interface so that the stores built on imports (orbit-determination-store.ts) need not import it.
 */

import type { ElementFormat, Marking, ParseIssue } from '@hoshimi/astro';

/** SATCAT file formats: Space-Track's satcat class in JSON, CelesTrak's SATCAT CSV (satcat.ts). */
export const SATCAT_FORMATS = ['satcat-json', 'satcat-csv'] as const;
export type SatcatFormat = (typeof SATCAT_FORMATS)[number];

export interface ImportInput {
  /** Name shown in reports and kept in the ingest log (a path, a URL, 'celestrak:GROUP=active'). */
  readonly name: string;
  /** The file's bytes (gzip allowed, detected by content). */
  readonly bytes: Uint8Array;
  /** Provenance; default 'file'. */
  readonly source?: string;
  /** Free-text label; default the marking's banner line when a marking is given, else 'UNMARKED'. */
  readonly label?: string;
  /**
   * (v9) Marking of every element set of the file (SATCAT metadata is public whatever is given).
   * Default: the lowest level, releasable to ALL, the store's home organisation, REAL. Through a
   * view the originator is the reader's organisation (see `CatalogStore.view`).
   */
  readonly marking?: Marking;
  /**
   * (Extension) Stops the import between batches: the transaction rolls back and `importFile`
   * rejects with StoreError `IMPORT_ABORTED`.
   */
  readonly signal?: AbortSignal;
  /**
   * (Extension) Called inside the import after each batch of records is written (not yet
   * committed). An exception thrown here aborts and rolls back the import like `signal`.
   */
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** (Extension) Progress of a running import. */
export interface ImportProgress {
  readonly name: string;
  /** Lines (TLE/3LE) or records (OMM) consumed so far. */
  readonly lines: number;
  readonly read: number;
  readonly inserted: number;
  readonly rejected: number;
}

/** The record of one import, as kept in the ingest log. */
export interface IngestReport {
  readonly ingestId: number;
  readonly name: string;
  /** SHA-256 of the (decompressed) content, hex. */
  readonly sha256: string;
  readonly source: string;
  readonly label: string;
  /** null when the content was not recognised. */
  readonly format: ElementFormat | SatcatFormat | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Element sets (SATCAT: records) read from the file (good ones). */
  readonly read: number;
  /** New element sets stored (SATCAT: objects created or changed). */
  readonly inserted: number;
  /**
   * Element sets already in the store (same object, epoch, source and elements): not stored again
   * (SATCAT: records that changed nothing).
   */
  readonly duplicates: number;
  /** New objects created. */
  readonly newObjects: number;
  /** Every rejected record with file, line, column and reason. */
  readonly rejected: readonly ParseIssue[];
  /**
   * (Extension) Records stored with a remark (a 3LE record without its name line, an OMM the
   * reader warned about), with file, line and reason.
   */
  readonly warnings: readonly ParseIssue[];
  /** (v9) The marking the import stamped on its element sets. */
  readonly marking?: Marking;
  /** The same content was imported before under this ingest id: nothing was added. */
  readonly alreadyImportedAs: number | null;
  /** 'ok', 'partial' (some records rejected), or 'failed' (nothing usable; the transaction rolled back). */
  readonly status: 'ok' | 'partial' | 'failed';
}

/**
 * Worker-thread side of the propagation pool: keeps the catalogs it was sent, initialises SGP4
 * records on first use, and writes states straight into the shared output columns.
 */
import { parentPort } from 'node:worker_threads';
import { type ElementSet, propagateBatch, type Satrec, sgp4Init } from '@hoshimi/astro';
import type { FromWorker, LoadJob, ToWorker } from './propagation-protocol.js';

interface Catalog {
  readonly elements: readonly ElementSet[];
  readonly records: (Satrec | undefined)[];
}

const catalogs = new Map<number, Catalog>();
let job: LoadJob | undefined;

function post(msg: FromWorker): void {
  parentPort?.postMessage(msg);
}

function handle(msg: ToWorker): void {
  switch (msg.type) {
    case 'catalog':
      catalogs.set(msg.catalogId, { elements: msg.elements, records: new Array(msg.elements.length) });
      return;
    case 'drop':
      catalogs.delete(msg.catalogId);
      return;
    case 'load':
      job = msg;
      return;
    case 'chunk': {
      if (job === undefined || job.jobId !== msg.jobId) throw new Error(`chunk for unknown job ${msg.jobId}`);
      const cat = catalogs.get(job.catalogId);
      if (cat === undefined) throw new Error(`job ${msg.jobId} names unknown catalog ${job.catalogId}`);
      const recs = cat.records;
      for (let i = msg.first; i < msg.end; i++) {
        if (recs[i] === undefined) recs[i] = sgp4Init(cat.elements[i] as ElementSet);
      }
      const m = job.gridMin.length;
      propagateBatch(
        recs as Satrec[],
        job.offsetsMin,
        job.gridMin,
        job.out,
        msg.first,
        msg.end,
        msg.first * m,
      );
      post({ type: 'done', jobId: msg.jobId, first: msg.first, end: msg.end });
    }
  }
}

parentPort?.on('message', (msg: ToWorker) => {
  try {
    handle(msg);
  } catch (e) {
    post({ type: 'error', jobId: 'jobId' in msg ? msg.jobId : 0, message: (e as Error).stack ?? String(e) });
  }
});

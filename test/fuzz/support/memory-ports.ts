/**
 * In-memory implementations of the pipeline's ports, for property tests that run thousands of cases
 * through normalize and publish. They behave like the DynamoDB and S3 adapters where it matters here
 * (addresses, revisions kept, raw objects never overwritten) and count every write. The SDK-level
 * tests (test/reliability) use the real adapters.
 */

import type { Release, Revision } from "../../../functions/domain/model.js";
import {
  addressKey,
  type ChartObject,
  type ChartStore,
  type CrossSection,
  type ObservationAddress,
  type ObservationStore,
  type RawObjectMeta,
  type RawStore,
  type ReleaseStore,
  type StoredObservation,
  type WriteStats,
} from "../../../functions/domain/ports.js";

export class MemoryStore implements ReleaseStore, ObservationStore {
  readonly releases = new Map<string, Release>();
  readonly observations = new Map<string, StoredObservation>();
  readonly revisions: Revision[] = [];
  /** Observation and revision items written, in all. */
  writtenItems = 0;

  async getRelease(id: string) {
    const r = this.releases.get(id);
    return r ? structuredClone(r) : undefined;
  }
  async putRelease(r: Release) {
    this.releases.set(r.releaseId, structuredClone(r));
  }
  async listReleases() {
    return [...this.releases.values()].map((r) => structuredClone(r));
  }
  async getMany(addresses: ObservationAddress[]) {
    const out = new Map<string, StoredObservation>();
    for (const a of addresses) {
      // Stored objects are never edited in place (write replaces them), so they can be handed out as they are.
      const o = this.observations.get(addressKey(a));
      if (o) out.set(addressKey(a), o);
    }
    return out;
  }
  async write(observations: StoredObservation[], revisions: Revision[]): Promise<WriteStats> {
    for (const o of observations) {
      if (!Number.isFinite(o.value)) throw new Error(`non-finite value reached the store: ${o.value}`);
      this.observations.set(addressKey(o), o);
    }
    this.revisions.push(...revisions);
    this.writtenItems += observations.length + revisions.length;
    return { requests: 1, items: observations.length + revisions.length };
  }
  async querySeries(seriesKey: string) {
    return {
      observations: [...this.observations.values()].filter((o) => o.seriesKey === seriesKey),
      revisions: this.revisions.filter((r) => r.seriesKey === seriesKey),
    };
  }
  async queryCrossSection(x: CrossSection) {
    return [...this.observations.values()].filter(
      (o) =>
        o.commodity === x.commodity &&
        o.currency === x.currency &&
        o.kind === x.kind &&
        o.period === x.period,
    );
  }
  /** A stable picture of everything stored, for before/after comparisons. */
  snapshot(): string {
    return JSON.stringify({
      observations: [...this.observations.entries()].sort(([a], [b]) => a.localeCompare(b)),
      revisions: this.revisions.length,
    });
  }
}

export class MemoryRaw implements RawStore {
  readonly objects = new Map<string, { body: Uint8Array; meta: RawObjectMeta }>();
  async put(key: string, body: Uint8Array, meta: RawObjectMeta) {
    if (!this.objects.has(key)) this.objects.set(key, { body, meta });
  }
  async get(key: string) {
    const o = this.objects.get(key);
    if (!o) throw new Error(`no raw object ${key}`);
    return o;
  }
  async exists(key: string) {
    return this.objects.has(key);
  }
}

export class MemoryCharts implements ChartStore {
  readonly objects = new Map<string, Uint8Array>();
  readonly puts: ChartObject[] = [];
  async get(key: string) {
    return this.objects.get(key);
  }
  async put(o: ChartObject) {
    this.puts.push(o);
    this.objects.set(o.key, o.body);
  }
}

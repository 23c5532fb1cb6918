import {
  type CredentialStatusName,
  changeCredentialStatus,
  decodeCompactJws,
  decodeStatusList,
  publishStatusList,
  type StatusList,
  TriesteError,
} from '@trieste/core';
import { CliError } from '../errors.js';
import { type Output, parseJsonInput, print } from '../io.js';
import type { Runtime } from '../runtime.js';

const NAMES: Record<number, string> = { 0: 'VALID', 1: 'INVALID', 2: 'SUSPENDED' };

export function statusName(value: number): string {
  return NAMES[value] ?? `0x${value.toString(16).padStart(2, '0')}`;
}

export function parseIndex(text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new CliError('USAGE', 'an index is a non-negative whole number');
  return Number(text);
}

export function parseStatusName(text: string): CredentialStatusName {
  if (text === 'valid' || text === 'invalid' || text === 'suspended') return text;
  throw new CliError('USAGE', 'status must be valid, invalid or suspended');
}

export async function statusSet(
  runtime: Runtime,
  out: Output,
  listId: string,
  idx: number,
  status: CredentialStatusName,
): Promise<void> {
  const { previous, current, version } = await changeCredentialStatus(listId, idx, status, runtime.issuance);
  print(
    out,
    `${listId}[${idx}]: ${statusName(previous)} -> ${statusName(current)} (published version ${version.version})`,
    {
      list: listId,
      idx,
      previous: statusName(previous),
      status: statusName(current),
      version: version.version,
    },
  );
}

export async function statusGet(runtime: Runtime, out: Output, listId: string, idx: number): Promise<void> {
  const value = await runtime.stores.statusLists.getStatus(listId, idx);
  print(out, statusName(value), { list: listId, idx, status: statusName(value), value });
}

export async function statusLists(runtime: Runtime, out: Output): Promise<void> {
  const lists = await runtime.stores.statusLists.lists();
  const rows = await Promise.all(
    lists.map(async (list) => ({
      ...list,
      latestVersion: (await runtime.stores.statusLists.latestVersion(list.id))?.version ?? null,
    })),
  );
  print(
    out,
    rows.length === 0
      ? 'no status lists yet (one is created with the first credential)'
      : rows
          .map(
            (r) =>
              `${r.id}  bits=${r.bits}  size=${r.size}  allocated=${r.allocated}  revision=${r.revision}  version=${r.latestVersion ?? '-'}`,
          )
          .join('\n'),
    rows,
  );
}

/** Prints the latest published status list token, for serving or for offline verification. */
export async function statusToken(runtime: Runtime, out: Output, listId: string): Promise<void> {
  const version = await runtime.stores.statusLists.latestVersion(listId);
  if (!version) throw new CliError('INPUT_INVALID', 'no published version of that status list');
  print(out, version.token, {
    list: listId,
    version: version.version,
    issuedAt: version.issuedAt,
    expiresAt: version.expiresAt,
    token: version.token,
  });
}

export async function statusPublish(
  runtime: Runtime,
  out: Output,
  listId: string | undefined,
): Promise<void> {
  const ids = listId ? [listId] : (await runtime.stores.statusLists.lists()).map((list) => list.id);
  const versions = [];
  for (const id of ids) {
    versions.push(
      await runtime.stores.transaction((stores) => publishStatusList(id, runtime.issuance, stores)),
    );
  }
  print(
    out,
    versions.length === 0
      ? 'no status lists to publish'
      : versions.map((v) => `${v.listId}: version ${v.version}`).join('\n'),
    versions.map((v) => ({
      list: v.listId,
      version: v.version,
      issuedAt: v.issuedAt,
      expiresAt: v.expiresAt,
    })),
  );
}

/**
 * Decodes any spec-conformant status list: a `statuslist+jwt`, a `status_list` JSON object, or
 * a claims object holding one. The signature is NOT checked here (use `trieste verify` for a
 * credential); the output says so.
 */
export function statusDecode(out: Output, input: string, index: number | undefined): void {
  let list: StatusList;
  let source: string;
  let claims: Record<string, unknown> = {};
  if (input.startsWith('{')) {
    const value = parseJsonInput(input, 'status list') as Record<string, unknown>;
    const statusList = (value?.['status_list'] ?? value) as { bits: unknown; lst: unknown };
    list = decodeStatusList(statusList).list;
    source = 'JSON';
  } else {
    const jws = decodeCompactJws(input, 'status list token');
    if (jws.header['typ'] !== 'statuslist+jwt') throw new TriesteError('TYP_INVALID', 'not a statuslist+jwt');
    list = decodeStatusList(jws.payload['status_list']).list;
    claims = {
      sub: jws.payload['sub'],
      iss: jws.payload['iss'],
      iat: jws.payload['iat'],
      exp: jws.payload['exp'],
      ttl: jws.payload['ttl'],
    };
    source = 'statuslist+jwt (signature not checked)';
  }
  if (index !== undefined) {
    const value = list.get(index);
    print(out, statusName(value), { idx: index, status: statusName(value), value });
    return;
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < list.size; i++) {
    const value = list.get(i);
    if (value !== 0) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const nonValid = Object.fromEntries([...counts].map(([value, count]) => [statusName(value), count]));
  const human = [
    `source:  ${source}`,
    ...Object.entries(claims)
      .filter(([, v]) => v !== undefined)
      .map(
        ([k, v]) =>
          `${`${k}:`.padEnd(8)} ${k === 'iat' || k === 'exp' ? new Date(Number(v) * 1000).toISOString() : String(v)}`,
      ),
    `bits:    ${list.bits}`,
    `entries: ${list.size}`,
    `not VALID: ${
      Object.keys(nonValid).length === 0
        ? 'none'
        : Object.entries(nonValid)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
    }`,
  ].join('\n');
  print(out, human, { source, ...claims, bits: list.bits, size: list.size, counts: nonValid });
}

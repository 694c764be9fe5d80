/**
 * Who is at the other end of a mutual-TLS connection: the partner whose pinned certificate
 * fingerprint (SHA-256) is the peer certificate's, or whose CA is in the peer's verified chain.
 * TLS itself has already refused a peer whose certificate does not chain to a trusted CA
 * (requestCert + rejectUnauthorized); this maps an accepted certificate to exactly one partner.
 */

import { X509Certificate } from 'node:crypto';
import {
  type DetailedPeerCertificate,
  type PeerCertificate,
  type TLSSocket,
  checkServerIdentity as tlsCheckServerIdentity,
} from 'node:tls';
import type { ExchangePartner } from '@hoshimi/store';

/** A fingerprint as hex without separators, upper case. */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}

/** SHA-256 fingerprint of a PEM certificate (normalised). */
export function certificateFingerprint(pem: string): string {
  return normaliseFingerprint(new X509Certificate(pem).fingerprint256);
}

function caFingerprints(pem: string): Set<string> {
  const out = new Set<string>();
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
    out.add(certificateFingerprint(block));
  }
  return out;
}

/** Fingerprints of a peer certificate and of every certificate above it in its chain. */
function chainFingerprints(cert: PeerCertificate): { leaf: string; chain: Set<string> } {
  const leaf = normaliseFingerprint(cert.fingerprint256 ?? '');
  const chain = new Set<string>();
  let c: PeerCertificate | undefined = cert;
  for (let depth = 0; c !== undefined && depth < 8; depth++) {
    if (c.fingerprint256 !== undefined) chain.add(normaliseFingerprint(c.fingerprint256));
    const next: PeerCertificate | undefined = (c as DetailedPeerCertificate).issuerCertificate;
    if (next === undefined || next === c) break;
    c = next;
  }
  return { leaf, chain };
}

/** Whether a peer certificate is the partner's: its pinned fingerprint and/or its CA. */
export function certificateIsPartner(cert: PeerCertificate, partner: ExchangePartner): boolean {
  if (partner.tlsFingerprint === null && partner.tlsCa === null) return false;
  const { leaf, chain } = chainFingerprints(cert);
  if (partner.tlsFingerprint !== null && normaliseFingerprint(partner.tlsFingerprint) !== leaf) return false;
  if (partner.tlsCa !== null) {
    const cas = caFingerprints(partner.tlsCa);
    if (![...cas].some((f) => chain.has(f))) return false;
  }
  return true;
}

/** The one partner a TLS socket's verified peer is, or null (none, or more than one). */
export function peerPartner(socket: TLSSocket, partners: readonly ExchangePartner[]): ExchangePartner | null {
  if (!socket.authorized) return null;
  const cert = socket.getPeerCertificate(true);
  if (cert === null || Object.keys(cert).length === 0) return null;
  const found = partners.filter((p) => certificateIsPartner(cert, p));
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** A checkServerIdentity for a client: the host name check, then the partner's pins. */
export function partnerServerCheck(partner: ExchangePartner) {
  return (host: string, cert: PeerCertificate): Error | undefined => {
    const e = tlsCheckServerIdentity(host, cert);
    if (e !== undefined) return e;
    if (
      partner.tlsFingerprint !== null &&
      normaliseFingerprint(cert.fingerprint256) !== normaliseFingerprint(partner.tlsFingerprint)
    )
      return new Error(`the server certificate is not the one pinned for ${partner.name}`);
    return undefined;
  };
}

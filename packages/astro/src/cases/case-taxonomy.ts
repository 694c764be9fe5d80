/**
 * The vocabulary of a case file (consultation on an event in space), as data: the classes of
 * attack to, from or within space with the indicators an analyst can record for each, and the
 * standard alternative hypotheses every case should weigh.
 *
 * Sources: the five categories of the Secure World Foundation's "Global Counterspace Capabilities:
 * An Open Source Assessment" (direct-ascent, co-orbital, electronic warfare, directed energy,
 * cyber), with the direct-ascent class split into a destructive test and a non-destructive one
 * (flyby) and a space-to-ground class, as in the CSIS Space Threat Assessment framework; the
 * indicators and the system function that produces each follow domain.md §7.2, the alternative
 * hypotheses §7.3 item 4 (natural fragmentation, debris or meteoroid impact such as BLITS in
 * January 2013, space weather, TLE or cross-tag artefacts, cooperative activity such as
 * Luch–Express).
 *
 * An indicator is an observation recorded by an analyst against a class; it is evidence, not a
 * finding. Nothing here, and nothing in the case model, states that an attack took place or that a
 * treaty article applies: the system gathers evidence; the partners judge, case by case.
 */

/** Where a class of activity acts: to space, within space, from space, or on the links. */
export type CounterspaceDirection = 'to space' | 'within space' | 'from space' | 'links and ground segment';

export interface CaseIndicator {
  /** Stable id, unique within its class. */
  readonly id: string;
  readonly en: string;
  readonly ja: string;
  /** What produces the evidence: a Hoshimi detector, or manual entry of external evidence. */
  readonly source: string;
}

export interface CounterspaceClass {
  readonly id: string;
  readonly en: string;
  readonly ja: string;
  readonly direction: CounterspaceDirection;
  readonly indicators: readonly CaseIndicator[];
}

/** The indicator taxonomy (domain.md §7.1/§7.2). */
export const COUNTERSPACE_CLASSES: readonly CounterspaceClass[] = [
  {
    id: 'da-asat',
    en: 'Direct-ascent ASAT (destructive)',
    ja: '直接上昇型ASAT（破壊的）',
    direction: 'to space',
    indicators: [
      {
        id: 'target-loss',
        en: 'Target loss: element-set updates end, the parent disappears, or a mean-motion/B* step',
        ja: '目標の喪失：軌道要素の更新停止、親物体の消失、平均運動またはB*の段差',
        source: 'detector: fragmentation, maneuver',
      },
      {
        id: 'fragment-cluster',
        en: "New fragment cluster sharing the target's designator or orbital plane",
        ja: '目標と同じ国際識別符号または軌道面を共有する新たな破片群',
        source: 'detector: fragmentation',
      },
      {
        id: 'launch-consistent',
        en: 'Breakup epoch and location consistent with a launch from a known site and time',
        ja: '既知の射場・時刻からの打ち上げと整合する破砕時刻・位置',
        source: 'detector: fragmentation origin + manual',
      },
      {
        id: 'notam-launch-detection',
        en: 'NOTAM/NAVAREA drop-zone warnings, or launch detections in official statements',
        ja: '落下区域のNOTAM/NAVAREA警報、または公式声明による発射探知',
        source: 'manual (external evidence)',
      },
    ],
  },
  {
    id: 'da-test-nondestructive',
    en: 'Non-destructive direct-ascent test (flyby)',
    ja: '非破壊的な直接上昇型試験（フライバイ）',
    direction: 'to space',
    indicators: [
      {
        id: 'no-debris-official-statement',
        en: 'No debris; the activity is known from official statements only',
        ja: 'デブリなし；公式声明によってのみ知られる活動',
        source: 'manual',
      },
    ],
  },
  {
    id: 'co-orbital',
    en: 'Co-orbital activity',
    ja: '共軌道活動',
    direction: 'within space',
    indicators: [
      {
        id: 'synchronising-maneuver',
        en: "A chaser maneuver that synchronises its orbit with the target's",
        ja: '目標の軌道に同期させる接近機の軌道変更',
        source: 'detector: maneuver',
      },
      {
        id: 'persistent-proximity',
        en: 'Persistent proximity to the target',
        ja: '目標への持続的な近接',
        source: 'detector: rpo',
      },
      {
        id: 'sub-satellite-release',
        en: 'Release of a sub-satellite or projectile (a new object near the chaser at high relative speed)',
        ja: '子衛星または飛翔体の放出（接近機の近くに高い相対速度の新物体）',
        source: 'detector: fragmentation, rpo',
      },
      {
        id: 'docking-towing',
        en: 'Docking or towing',
        ja: 'ドッキングまたは曳航',
        source: 'detector: rpo + manual',
      },
    ],
  },
  {
    id: 'space-to-ground',
    en: 'Space-to-ground / from space',
    ja: '宇宙から地上への活動',
    direction: 'from space',
    indicators: [
      {
        id: 'space-based-jammer',
        en: 'Space-based jammer',
        ja: '宇宙配備型ジャマー',
        source: 'manual + RF evidence',
      },
      {
        id: 'orbital-weapon',
        en: 'Orbital weapon (FOBS, hypersonic glide vehicle)',
        ja: '軌道兵器（FOBS、極超音速滑空体）',
        source: 'manual',
      },
      { id: 'nuclear-detonation', en: 'Nuclear detonation', ja: '核爆発', source: 'manual' },
    ],
  },
  {
    id: 'electronic-warfare',
    en: 'Electronic warfare',
    ja: '電子戦',
    direction: 'links and ground segment',
    indicators: [
      {
        id: 'uplink-interference',
        en: 'Operator reports of carrier interference (uplink)',
        ja: '運用者からの搬送波干渉（アップリンク）の報告',
        source: 'ingest + manual',
      },
      {
        id: 'gnss-degradation',
        en: 'GNSS degradation maps (e.g. ADS-B NACp/NIC drops)',
        ja: 'GNSS劣化マップ（ADS-BのNACp/NIC低下など）',
        source: 'ingest + manual',
      },
      {
        id: 'rf-geolocation',
        en: 'RF geolocation (TDOA/FDOA) of emitters',
        ja: '電波源のRF位置標定（TDOA/FDOA）',
        source: 'manual',
      },
      {
        id: 'temporal-correlation',
        en: 'Temporal correlation with other events',
        ja: '他の事象との時間的相関',
        source: 'manual',
      },
    ],
  },
  {
    id: 'directed-energy',
    en: 'Directed energy',
    ja: '指向性エネルギー',
    direction: 'to space',
    indicators: [
      {
        id: 'sensor-saturation-over-laser-site',
        en: 'EO sensor saturation or damage during passes over a known laser site',
        ja: '既知のレーザー施設上空通過時の光学センサの飽和または損傷',
        source: 'pass-geometry correlator + manual',
      },
    ],
  },
  {
    id: 'cyber',
    en: 'Cyber',
    ja: 'サイバー',
    direction: 'links and ground segment',
    indicators: [
      {
        id: 'anomalous-commands-telemetry',
        en: 'Anomalous commands or telemetry',
        ja: '異常なコマンドまたはテレメトリ',
        source: 'manual',
      },
      {
        id: 'ground-segment-compromise',
        en: 'Ground-segment compromise',
        ja: '地上セグメントの侵害',
        source: 'manual',
      },
    ],
  },
];

export interface AlternativeHypothesis {
  readonly id: string;
  readonly en: string;
  readonly ja: string;
}

/** The standard alternative hypotheses (domain.md §7.3 item 4), plus `other` with its own title. */
export const ALTERNATIVE_HYPOTHESES: readonly AlternativeHypothesis[] = [
  {
    id: 'natural-fragmentation',
    en: 'Natural fragmentation (battery or propulsion explosion, aerodynamic breakup)',
    ja: '自然破砕（バッテリーや推進系の爆発、空力による分解）',
  },
  { id: 'debris-or-meteoroid-impact', en: 'Debris or meteoroid impact', ja: 'デブリまたは流星物質の衝突' },
  { id: 'space-weather', en: 'Space weather', ja: '宇宙天気' },
  {
    id: 'tle-or-cross-tag-artefact',
    en: 'A TLE or cross-tag artefact',
    ja: 'TLEまたはクロスタグによる見かけ上の現象',
  },
  {
    id: 'cooperative-activity',
    en: 'Cooperative activity (servicing, inspection of own assets)',
    ja: '協調的活動（軌道上サービス、自国資産の点検）',
  },
  { id: 'other', en: 'Other hypothesis', ja: 'その他の仮説' },
];

/** The class of this id, or undefined. */
export function counterspaceClass(id: string): CounterspaceClass | undefined {
  return COUNTERSPACE_CLASSES.find((c) => c.id === id);
}

/** The indicator of a class, or undefined. */
export function caseIndicator(classId: string, indicatorId: string): CaseIndicator | undefined {
  return counterspaceClass(classId)?.indicators.find((i) => i.id === indicatorId);
}

/** The alternative hypothesis of this id, or undefined. */
export function alternativeHypothesis(id: string): AlternativeHypothesis | undefined {
  return ALTERNATIVE_HYPOTHESES.find((h) => h.id === id);
}

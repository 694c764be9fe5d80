/**
 * Interface text in English and Japanese: every string the console shows comes from `MESSAGES`
 * through `translate`, and the language switches at run time (the choice is kept in localStorage).
 * `{name}` placeholders are filled from the parameters.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

const EN = {
  appTitle: 'Hoshimi',
  appSubtitle: 'Space Domain Awareness console',
  catalogCount: '{count} objects',
  catalogLoading: 'Loading the catalog…',
  catalogError: 'The catalog could not be loaded: {message}',
  catalogEmpty: 'The store holds no element sets: import a catalog first (hoshimi catalog import).',
  language: 'Language',
  loginTitle: 'Sign in to Hoshimi',
  loginUsername: 'User name',
  loginPassword: 'Password',
  loginButton: 'Sign in',
  loginChecking: 'Checking your session…',
  loginFailed: 'Wrong user name or password.',
  loginRateLimited: 'Too many failed attempts: wait a minute and try again.',
  loginError: 'Sign-in failed: {message}',
  tabSearch: 'Search',
  tabObject: 'Object',
  tabConjunctions: 'Conjunctions',
  searchPlaceholder: 'Catalog number, name or designator (e.g. 25544, ISS, 1998-067A)',
  searchButton: 'Search',
  searchNone: 'No object matches “{query}”.',
  searchResults: '{count} results',
  colNumber: 'No.',
  colName: 'Name',
  colDesignator: 'Designator',
  colType: 'Type',
  colEpoch: 'Epoch (UTC)',
  colAge: 'Age (days)',
  colSource: 'Source',
  colLabel: 'Label',
  typePAYLOAD: 'Payload',
  'typeROCKET BODY': 'Rocket body',
  typeDEBRIS: 'Debris',
  typeUNKNOWN: 'Unknown',
  objectNone: 'Select an object on the globe or in the search results.',
  objectLoading: 'Loading…',
  objectOwner: 'Owner',
  objectLaunch: 'Launch date',
  objectDecay: 'Decay date',
  objectDataAge: 'Latest element set age at the server time',
  objectStale: 'stale',
  objectDecayed: 'decayed',
  objectHistory: 'Element history ({count} sets)',
  objectPlot: 'Element history (semi-major axis, eccentricity, inclination; detected maneuvers marked)',
  objectPlotTooFew: 'Too few element sets for a history plot.',
  objectShowOnGlobe: 'Show on the globe',
  conjNone: 'No screening in the store yet (hoshimi screen --db).',
  conjScreening: 'Screening #{id}: {count} conjunctions, window {start} – {stop}, threshold {threshold} km',
  conjSortPc: 'Sort by Pc',
  conjSortMiss: 'Sort by miss distance',
  colTca: 'TCA (UTC)',
  colMiss: 'Miss (km)',
  colPc: 'Pc',
  colPrimary: 'Primary',
  colSecondary: 'Secondary',
  conjDetail: 'Conjunction {a} – {b}',
  conjBack: 'Back to the list',
  conjMissRtn: 'Miss vector in the primary’s radial / in-track / cross-track frame',
  conjRadial: 'Radial',
  conjInTrack: 'In-track',
  conjCrossTrack: 'Cross-track',
  conjRelSpeed: 'Relative speed',
  conjPcMethod: 'Pc method',
  conjHbr: 'Combined hard-body radius',
  conjCovariance: 'Covariance source',
  conjConfidence: 'Confidence',
  conjAges: 'Element-set ages at TCA (days)',
  conjRange: 'Range over time around TCA (km, SGP4 in the browser)',
  conjCdm: 'Conjunction Data Message (CCSDS 508.0-B-1, KVN)',
  conjNoPc: 'not computed',
  unitKm: 'km',
  unitKmS: 'km/s',
  unitM: 'm',
  legendTitle: 'Object type',
  selected: 'Selected: {name} ({number})',
  openObjectPage: 'Object page',
} as const;

export type MessageKey = keyof typeof EN;

const JA: Record<MessageKey, string> = {
  appTitle: '星見 Hoshimi',
  appSubtitle: '宇宙状況監視コンソール',
  catalogCount: '{count} 物体',
  catalogLoading: 'カタログを読み込み中…',
  catalogError: 'カタログを読み込めませんでした: {message}',
  catalogEmpty: 'ストアに軌道要素がありません。先にカタログを取り込んでください (hoshimi catalog import)。',
  language: '言語',
  loginTitle: 'Hoshimi にサインイン',
  loginUsername: 'ユーザー名',
  loginPassword: 'パスワード',
  loginButton: 'サインイン',
  loginChecking: 'セッションを確認中…',
  loginFailed: 'ユーザー名またはパスワードが違います。',
  loginRateLimited: '失敗が多すぎます。1 分待ってから再試行してください。',
  loginError: 'サインインできませんでした: {message}',
  tabSearch: '検索',
  tabObject: '物体',
  tabConjunctions: '接近',
  searchPlaceholder: 'カタログ番号、名称、国際識別符号 (例: 25544, ISS, 1998-067A)',
  searchButton: '検索',
  searchNone: '「{query}」に一致する物体はありません。',
  searchResults: '{count} 件',
  colNumber: '番号',
  colName: '名称',
  colDesignator: '国際識別符号',
  colType: '種別',
  colEpoch: '元期 (UTC)',
  colAge: '経過 (日)',
  colSource: '出典',
  colLabel: 'ラベル',
  typePAYLOAD: 'ペイロード',
  'typeROCKET BODY': 'ロケット機体',
  typeDEBRIS: 'デブリ',
  typeUNKNOWN: '不明',
  objectNone: '地球儀上または検索結果から物体を選んでください。',
  objectLoading: '読み込み中…',
  objectOwner: '所有者',
  objectLaunch: '打上げ日',
  objectDecay: '落下日',
  objectDataAge: 'サーバー時刻での最新軌道要素の経過',
  objectStale: '古い',
  objectDecayed: '落下済み',
  objectHistory: '軌道要素の履歴 ({count} セット)',
  objectPlot: '軌道要素の履歴 (軌道長半径、離心率、軌道傾斜角。検出したマヌーバを表示)',
  objectPlotTooFew: '履歴の図には軌道要素が足りません。',
  objectShowOnGlobe: '地球儀に表示',
  conjNone: 'ストアにスクリーニング結果がまだありません (hoshimi screen --db)。',
  conjScreening: 'スクリーニング #{id}: 接近 {count} 件、期間 {start} – {stop}、閾値 {threshold} km',
  conjSortPc: 'Pc 順',
  conjSortMiss: '最接近距離順',
  colTca: 'TCA (UTC)',
  colMiss: '最接近距離 (km)',
  colPc: 'Pc',
  colPrimary: '主物体',
  colSecondary: '副物体',
  conjDetail: '接近 {a} – {b}',
  conjBack: '一覧に戻る',
  conjMissRtn: '主物体の動径・軌道方向・軌道面外方向 (RTN) でのミスベクトル',
  conjRadial: '動径',
  conjInTrack: '軌道方向',
  conjCrossTrack: '軌道面外',
  conjRelSpeed: '相対速度',
  conjPcMethod: 'Pc の計算法',
  conjHbr: '合成ハードボディ半径',
  conjCovariance: '共分散の出典',
  conjConfidence: '信頼度',
  conjAges: 'TCA での軌道要素の経過 (日)',
  conjRange: 'TCA 前後の距離の推移 (km、ブラウザー内 SGP4)',
  conjCdm: '接近データメッセージ CDM (CCSDS 508.0-B-1、KVN)',
  conjNoPc: '未計算',
  unitKm: 'km',
  unitKmS: 'km/s',
  unitM: 'm',
  legendTitle: '物体の種別',
  selected: '選択中: {name} ({number})',
  openObjectPage: '物体のページ',
};

const MESSAGES: Record<Language, Record<MessageKey, string>> = { en: EN, ja: JA };

/** The text of `key` in `language`, with `{name}` placeholders filled. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const text = MESSAGES[language][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export const I18nContext = createContext<{ language: Language; t: Translate }>({
  language: 'en',
  t: (key, params) => translate('en', key, params),
});

export function useI18n(): { language: Language; t: Translate } {
  return useContext(I18nContext);
}

export function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem('hoshimi.language');
  if (stored === 'en' || stored === 'ja') return stored;
  return globalThis.navigator?.language?.startsWith('ja') ? 'ja' : 'en';
}

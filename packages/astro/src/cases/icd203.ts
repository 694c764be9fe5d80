/**
 * Expressions of likelihood and of confidence, after Intelligence Community Directive 203
 * "Analytic Standards" (ODNI, 2015), section D.6.e: seven likelihood terms, each with its
 * probability range (the directive pairs each with an alternative word, kept here as `synonym`),
 * and the separate statement of confidence in the judgement (low, moderate, high). The directive
 * asks that the two are not combined in one expression, so they are separate fields everywhere.
 * Japanese labels are ours.
 */

export interface LikelihoodTerm {
  readonly id: string;
  readonly en: string;
  readonly synonym: string;
  readonly ja: string;
  /** Probability range, fractions in [0, 1]. */
  readonly min: number;
  readonly max: number;
}

/** ICD 203 likelihood terms, from least to most likely (domain.md §7.3 item 7). */
export const ICD203_LIKELIHOODS: readonly LikelihoodTerm[] = [
  {
    id: 'almost-no-chance',
    en: 'almost no chance',
    synonym: 'remote',
    ja: 'ほぼ可能性なし',
    min: 0.01,
    max: 0.05,
  },
  {
    id: 'very-unlikely',
    en: 'very unlikely',
    synonym: 'highly improbable',
    ja: '可能性は非常に低い',
    min: 0.05,
    max: 0.2,
  },
  { id: 'unlikely', en: 'unlikely', synonym: 'improbable', ja: '可能性は低い', min: 0.2, max: 0.45 },
  {
    id: 'roughly-even-chance',
    en: 'roughly even chance',
    synonym: 'roughly even odds',
    ja: 'ほぼ五分五分',
    min: 0.45,
    max: 0.55,
  },
  { id: 'likely', en: 'likely', synonym: 'probable', ja: '可能性は高い', min: 0.55, max: 0.8 },
  {
    id: 'very-likely',
    en: 'very likely',
    synonym: 'highly probable',
    ja: '可能性は非常に高い',
    min: 0.8,
    max: 0.95,
  },
  {
    id: 'almost-certain',
    en: 'almost certain',
    synonym: 'nearly certain',
    ja: 'ほぼ確実',
    min: 0.95,
    max: 0.99,
  },
];

export const CONFIDENCE_LEVELS = ['low', 'moderate', 'high'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

/** Labels of the confidence levels. */
export const CONFIDENCE_LABELS: Readonly<
  Record<ConfidenceLevel, { readonly en: string; readonly ja: string }>
> = {
  low: { en: 'low confidence', ja: '確度：低' },
  moderate: { en: 'moderate confidence', ja: '確度：中' },
  high: { en: 'high confidence', ja: '確度：高' },
};

/** The term of an id, or of its English word or synonym (case-insensitive); undefined otherwise. */
export function likelihoodTerm(text: string): LikelihoodTerm | undefined {
  const t = text.trim().toLowerCase();
  return ICD203_LIKELIHOODS.find((l) => l.id === t || l.en === t || l.synonym === t);
}

/** Whether a text is a confidence level. */
export function isConfidenceLevel(text: string): text is ConfidenceLevel {
  return (CONFIDENCE_LEVELS as readonly string[]).includes(text);
}

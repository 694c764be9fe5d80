/**
 * SATCAT code tables: owner ("source") and launch-site codes with their names, as CelesTrak's SATCAT
 * format pages list them (celestrak.org/satcat/satcat-format.php, the owner and launch-site tables
 * of 2025: 131 owner and 40 launch-site codes; names transcribed from the tables libSATCAT (MIT)
 * generates from those pages), and the Space-Track codes that differ from CelesTrak's for the same
 * owner or site (Space-Track's SATCAT `COUNTRY` and `SITE` fields mostly use CelesTrak's codes;
 * the pairs were matched on objects present in both catalogs or, where marked, by name only).
 *
 * A code not in these tables is kept as read, with no name, and the import says so.
 */

/** CelesTrak owner codes and names. */
export const SATCAT_OWNERS: ReadonlyMap<string, string> = new Map([
  ['AB', 'Arab Satellite Communications Organization'],
  ['ABS', 'Asia Broadcast Satellite'],
  ['AC', 'Asia Satellite Telecommunications Company (ASIASAT)'],
  ['ALG', 'Algeria'],
  ['ANG', 'Angola'],
  ['ARGN', 'Argentina'],
  ['ARM', 'Republic of Armenia'],
  ['ASRA', 'Austria'],
  ['AUS', 'Australia'],
  ['AZER', 'Azerbaijan'],
  ['BEL', 'Belgium'],
  ['BELA', 'Belarus'],
  ['BERM', 'Bermuda'],
  ['BGD', 'Peoples Republic of Bangladesh'],
  ['BHR', 'The Kingdom of Bahrain'],
  ['BHUT', 'The Kingdom of Bhutan'],
  ['BOL', 'Bolivia'],
  ['BRAZ', 'Brazil'],
  ['BUL', 'Bulgaria'],
  ['BWA', 'Republic of Botswana'],
  ['CA', 'Canada'],
  ['CHBZ', 'China/Brazil'],
  ['CHLE', 'Chile'],
  ['CHTU', 'China/Turkey'],
  ['CIS', 'Commonwealth of Independent States (former USSR)'],
  ['COL', 'Colombia'],
  ['CRI', 'Republic of Costa Rica'],
  ['CZCH', 'Czech Republic (former Czechoslovakia)'],
  ['DEN', 'Denmark'],
  ['DJI', 'Republic of Djibouti'],
  ['ECU', 'Ecuador'],
  ['EGYP', 'Egypt'],
  ['ESA', 'European Space Agency'],
  ['ESRO', 'European Space Research Organization'],
  ['EST', 'Estonia'],
  ['ETH', 'Ethiopia'],
  ['EUME', 'European Organization for the'],
  ['EUTE', 'European Telecommunications Satellite Organization (EUTELSAT)'],
  ['FGER', 'France/Germany'],
  ['FIN', 'Finland'],
  ['FR', 'France'],
  ['FRIT', 'France/Italy'],
  ['GER', 'Germany'],
  ['GHA', 'Republic of Ghana'],
  ['GLOB', 'Globalstar'],
  ['GREC', 'Greece'],
  ['GRSA', 'Greece/Saudi Arabia'],
  ['GUAT', 'Guatemala'],
  ['HRV', 'Republic of Croatia'],
  ['HUN', 'Hungary'],
  ['IM', 'International Mobile Satellite Organization (INMARSAT)'],
  ['IND', 'India'],
  ['INDO', 'Indonesia'],
  ['IRAN', 'Iran'],
  ['IRAQ', 'Iraq'],
  ['IRID', 'Iridium'],
  ['IRL', 'Ireland'],
  ['ISRA', 'Israel'],
  ['ISRO', 'Indian Space Research Organisation'],
  ['ISS', 'International Space Station'],
  ['IT', 'Italy'],
  ['ITSO', 'International Telecommunications Satellite Organization (INTELSAT)'],
  ['JPN', 'Japan'],
  ['KAZ', 'Kazakhstan'],
  ['KEN', 'Republic of Kenya'],
  ['LAOS', 'Laos'],
  ['LKA', 'Democratic Socialist Republic of Sri Lanka'],
  ['LTU', 'Lithuania'],
  ['LUXE', 'Luxembourg'],
  ['MA', 'Morroco'],
  ['MALA', 'Malaysia'],
  ['MCO', 'Principality of Monaco'],
  ['MDA', 'Republic of Moldova'],
  ['MEX', 'Mexico'],
  ['MMR', 'Republic of the Union of Myanmar'],
  ['MNG', 'Mongolia'],
  ['MUS', 'Mauritius'],
  ['NATO', 'North Atlantic Treaty Organization'],
  ['NETH', 'Netherlands'],
  ['NICO', 'New ICO'],
  ['NIG', 'Nigeria'],
  ['NKOR', "Democratic People's Republic of Korea"],
  ['NOR', 'Norway'],
  ['NPL', 'Federal Democratic Republic of Nepal'],
  ['NZ', 'New Zealand'],
  ['O3B', 'O3b Networks'],
  ['ORB', 'ORBCOMM'],
  ['PAKI', 'Pakistan'],
  ['PERU', 'Peru'],
  ['POL', 'Poland'],
  ['POR', 'Portugal'],
  ['PRC', "People's Republic of China"],
  ['PRES', "People's Republic of China/"],
  ['PRY', 'Republic of Paraguay'],
  ['QAT', 'State of Qatar'],
  ['RASC', 'RascomStar-QAF'],
  ['ROC', 'Taiwan (Republic of China)'],
  ['ROM', 'Romania'],
  ['RP', 'Philippines (Republic of the Philippines)'],
  ['RWA', 'Republic of Rwanda'],
  ['SAFR', 'South Africa'],
  ['SAUD', 'Saudi Arabia'],
  ['SDN', 'Republic of Sudan'],
  ['SEAL', 'Sea Launch'],
  ['SEN', 'Republic of Senegal'],
  ['SES', 'SES'],
  ['SGJP', 'Singapore/Japan'],
  ['SING', 'Singapore'],
  ['SKOR', 'Republic of Korea'],
  ['SLB', 'Solomon Islands'],
  ['SPN', 'Spain'],
  ['STCT', 'Singapore/Taiwan'],
  ['SVN', 'Slovenia'],
  ['SWED', 'Sweden'],
  ['SWTZ', 'Switzerland'],
  ['TBD', 'To Be Determined'],
  ['THAI', 'Thailand'],
  ['TMMC', 'Turkmenistan/Monaco'],
  ['TUN', 'Republic of Tunisia'],
  ['TURK', 'Turkey'],
  ['UAE', 'United Arab Emirates'],
  ['UK', 'United Kingdom'],
  ['UKR', 'Ukraine'],
  ['UNK', 'Unknown'],
  ['URY', 'Uruguay'],
  ['US', 'United States'],
  ['USBZ', 'United States/Brazil'],
  ['VAT', 'Vatican City State'],
  ['VENZ', 'Venezuela'],
  ['VTNM', 'Vietnam'],
  ['ZWE', 'Republic of Zimbabwe'],
]);

/** CelesTrak launch-site codes and names. */
export const SATCAT_LAUNCH_SITES: ReadonlyMap<string, string> = new Map([
  ['AFETR', 'Air Force Eastern Test Range, Florida, USA'],
  ['AFWTR', 'Air Force Western Test Range, California, USA'],
  ['ANDSP', 'Andøya Spaceport, Nordland, Norway'],
  ['BOS', 'Bowen Orbital Spaceport, Queensland, Australia'],
  ['CAS', 'Canaries Airspace'],
  ['DLS', 'Dombarovskiy Launch Site, Russia'],
  ['ERAS', 'Eastern Range Airspace'],
  ['FRGUI', "Europe's Spaceport, Kourou, French Guiana"],
  ['HGSTR', 'Hammaguira Space Track Range, Algeria'],
  ['JJSLA', 'Jeju Island Sea Launch Area, Republic of Korea'],
  ['JSC', 'Jiuquan Space Center, PRC'],
  ['KODAK', 'Kodiak Launch Complex, Alaska, USA'],
  ['KSCUT', 'Uchinoura Space Center'],
  ['KWAJ', 'US Army Kwajalein Atoll (USAKA)'],
  ['KYMSC', 'Kapustin Yar Missile and Space Complex, Russia'],
  ['NSC', 'Naro Space Complex, Republic of Korea'],
  ['PLMSC', 'Plesetsk Missile and Space Complex, Russia'],
  ['RLLB', 'Rocket Lab Launch Base, Mahia Peninsula, New Zealand'],
  ['SCSLA', 'South China Sea Launch Area, PRC'],
  ['SEAL', 'Sea Launch Platform (mobile)'],
  ['SEMLS', 'Semnan Satellite Launch Site, Iran'],
  ['SMTS', 'Shahrud Missile Test Site, Iran'],
  ['SNMLP', 'San Marco Launch Platform, Indian Ocean (Kenya)'],
  ['SPKII', 'Space Port Kii, Japan'],
  ['SRILR', 'Satish Dhawan Space Centre, India'],
  ['SUBL', 'Submarine Launch Platform (mobile)'],
  ['SVOBO', 'Svobodnyy Launch Complex, Russia'],
  ['TAISC', 'Taiyuan Space Center, PRC'],
  ['TANSC', 'Tanegashima Space Center, Japan'],
  ['TYMSC', 'Tyuratam Missile and Space Center, Kazakhstan'],
  ['UNK', 'Unknown'],
  ['VOSTO', 'Vostochny Cosmodrome, Russia'],
  ['WLPIS', 'Wallops Island, Virginia, USA'],
  ['WOMRA', 'Woomera, Australia'],
  ['WRAS', 'Western Range Airspace'],
  ['WSC', 'Wenchang Satellite Launch Site, PRC'],
  ['XICLF', 'Xichang Launch Facility, PRC'],
  ['YAVNE', 'Yavne Launch Facility, Israel'],
  ['YSLA', 'Yellow Sea Launch Area, PRC'],
  ['YUN', 'Yunsong Launch Site'],
]);

/**
 * Space-Track launch-site codes → CelesTrak's code for the same site. Matched on the same objects
 * in both catalogs, except KWAJL, SVOB, OREN and SEM (by site name only).
 */
export const SPACETRACK_SITE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['TTMTR', 'TYMSC'],
  ['PKMTR', 'PLMSC'],
  ['TNSTA', 'TANSC'],
  ['TSC', 'TAISC'],
  ['XSC', 'XICLF'],
  ['SRI', 'SRILR'],
  ['KYMTR', 'KYMSC'],
  ['RLLC', 'RLLB'],
  ['SADOL', 'SUBL'],
  ['YSLA', 'SEAL'],
  ['KWAJL', 'KWAJ'],
  ['SVOB', 'SVOBO'],
  ['OREN', 'DLS'],
  ['SEM', 'SEMLS'],
]);

/**
 * Space-Track owner codes → CelesTrak's code for the same owner: TWN matched on an object in both
 * catalogs, the others by country name only. Space-Track's JOR, KWT, SVK, PRI and UGA have no
 * CelesTrak code.
 */
export const SPACETRACK_OWNER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['TWN', 'ROC'],
  ['CZE', 'CZCH'],
  ['BGR', 'BUL'],
  ['AGO', 'ANG'],
  ['PER', 'PERU'],
]);

/** Name of an owner code (Space-Track or CelesTrak), or null when the tables do not have it. */
export function ownerName(code: string): string | null {
  return SATCAT_OWNERS.get(code) ?? SATCAT_OWNERS.get(SPACETRACK_OWNER_ALIASES.get(code) ?? '') ?? null;
}

/** Name of a launch-site code (Space-Track or CelesTrak), or null when the tables do not have it. */
export function launchSiteName(code: string): string | null {
  return (
    SATCAT_LAUNCH_SITES.get(code) ?? SATCAT_LAUNCH_SITES.get(SPACETRACK_SITE_ALIASES.get(code) ?? '') ?? null
  );
}

/** Every code that names the same owner as `code` (itself, and its Space-Track/CelesTrak twin). */
export function ownerCodesLike(code: string): string[] {
  const c = code.toUpperCase();
  const out = new Set([c]);
  for (const [st, ct] of SPACETRACK_OWNER_ALIASES) {
    if (st === c) out.add(ct);
    if (ct === c) out.add(st);
  }
  return [...out];
}

/**
 * The settings page's sections and the addresses that open them. The original's page paths (`/api_key`,
 * `/chara_manager`, `/voice_clone`, `/model_manager`, `/l2d`) each open their section; `/settings` opens the
 * first, and `#<section>` picks any.
 */
export const SECTION_IDS = ['providers', 'characters', 'voices', 'models', 'microphone', 'appearance'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

const PATH_OF: Partial<Record<SectionId, string>> = {
  providers: '/api_key',
  characters: '/chara_manager',
  voices: '/voice_clone',
  models: '/model_manager',
};

const SECTION_OF_PATH: Record<string, SectionId> = {
  api_key: 'providers',
  chara_manager: 'characters',
  voice_clone: 'voices',
  model_manager: 'models',
  l2d: 'models',
};

export function isSectionId(value: string): value is SectionId {
  return (SECTION_IDS as readonly string[]).includes(value);
}

/** The section an address opens: the hash if it names one, else the path's, else the first. */
export function sectionFromLocation(pathname: string, hash: string): SectionId {
  const fromHash = hash.replace(/^#/, '');
  if (isSectionId(fromHash)) return fromHash;
  const segment = pathname.replace(/^\/+/, '').split('/')[0] ?? '';
  return SECTION_OF_PATH[segment] ?? 'providers';
}

/** The address that opens a section (what the nav links point to). */
export function sectionHref(id: SectionId): string {
  return PATH_OF[id] ?? `/settings#${id}`;
}

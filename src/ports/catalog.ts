import type { K8sObject } from '../core/k8s.js';
import type { Scenario } from '../core/scenario.js';

/** A scenario with its manifests, as the catalog loads them. */
export interface ScenarioBundle {
  scenario: Scenario;
  broken: K8sObject[];
  solution: K8sObject[];
  notQuiteFix?: K8sObject[];
  /** A good version deployed and rolled out first, so the broken manifest is a rollout over it. */
  previous?: K8sObject[];
  /** From the room (core/gameday/teamContent.ts): no solution, no guards, no cause on this laptop. */
  published?: boolean;
}

export interface CatalogContents {
  /** Valid scenarios, by `order` then id. */
  scenarios: Scenario[];
  bundles: ScenarioBundle[];
  /** Scenarios that did not load, each problem as one readable line. */
  problems: { scenario?: string; text: string }[];
  /** Said, not fatal: folders of a pack that were skipped, and why. */
  warnings?: string[];
  /** Where each scenario comes from, when packs besides the built-in one are loaded. */
  packOf?: Record<string, { name: string; dir: string; builtIn: boolean }>;
}

/** The catalog without the manifests: what is shown of it (list, show, images). */
export type CatalogListing = Omit<CatalogContents, 'bundles'>;

/** Where the scenarios come from (the package's scenarios/ and solutions/ directories). */
export interface ScenarioCatalog {
  load(): Promise<CatalogContents>;
}

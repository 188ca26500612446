export interface KindCreateOptions {
  name: string;
  configPath?: string;
  /** kind's --wait; note kind exits 0 even when this wait timed out. */
  waitSeconds?: number;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface Kind {
  version(): Promise<string | undefined>;
  clusters(): Promise<string[]>;
  create(options: KindCreateOptions): Promise<void>;
  delete(name: string, onLine?: (line: string) => void): Promise<void>;
  /** `kind load docker-image IMAGE --name NAME`: the image must be in the local Docker already. */
  loadImage?(name: string, image: string, onLine?: (line: string) => void): Promise<void>;
}


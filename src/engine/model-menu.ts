/** The models a conversation may switch to (the app's catalog: MUSE_MODEL first, then MUSE_MODELS). */
export interface ModelMenu {
  /** Every name, the default first. */
  readonly names: readonly string[];
  /** The name `input` stands for (a name as listed, or the part after `openai:` when unambiguous). */
  find(input: string): string | undefined;
  /** Whether the model of that name sees images (MUSE_VISION_MODELS). */
  seesImages(name: string): boolean;
}

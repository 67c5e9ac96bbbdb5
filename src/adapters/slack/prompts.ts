/** Suggested prompts in the assistant pane (and the manifest): a story, a poem and a lesson. */
export const SUGGESTED_PROMPTS = [
  { title: 'Tell me a story', message: '/story new a lighthouse keeper finds a door in the sea' },
  { title: 'Write a poem', message: '/poem the first snow of winter form:haiku' },
  { title: 'Teach me something', message: '/tutor start how fractions work level:beginner' },
];

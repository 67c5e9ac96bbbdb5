import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { CANNOT_SEE, checkImages, sniffImage } from '../../src/engine/images.js';
import { toBody } from '../../src/model/openai-request.js';
import { channel } from '../support/engine.js';
import { imageParts, JPEG, lastContent, PNG, useVisionEngine } from './support.js';

const v = useVisionEngine();

const png = (name = 'dot.png', data: Uint8Array = PNG) => ({ name, contentType: 'image/png', data });

/** Everything the store holds of the test channel: the meta and every turn, as JSON. */
async function stored(): Promise<string> {
  const key = conversationKey(channel);
  const meta = await v.t.store.getMeta(key);
  return JSON.stringify({ meta, turns: await v.t.store.getTurns(key, 0, meta?.count ?? 0) });
}

describe('images in: the engine', () => {
  it('knows a picture by its bytes, not its name', () => {
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(JPEG)).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toBeUndefined();
    // A JPEG named .png is sent as what it is.
    expect(checkImages([png('photo.png', JPEG)])[0]!.mime).toBe('image/jpeg');
  });

  it('maps a message with images to a text part and image_url data URLs, only for a model that sees', () => {
    const message = { role: 'user' as const, content: 'Alice: look', images: [{ name: 'dot.png', mime: 'image/png', data: PNG }] };
    const seeing = toBody('m', { messages: [message] }, { images: true });
    expect(seeing.messages[0]!.content).toEqual([
      { type: 'text', text: 'Alice: look' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
    expect(toBody('m', { messages: [message] }).messages[0]!.content).toBe('Alice: look');
  });

  it("a turn's picture reaches a model that sees as an image part, once; the store keeps only a note of it", async () => {
    const reply = await v.t.send('What is in this picture?', { attachments: [png()] });
    expect(reply.error).toBeUndefined();
    const [asked] = v.fake.chatRequests;
    expect(asked!.body.model).toBe('eye-1');
    expect(lastContent(asked!.body)).toEqual([
      { type: 'text', text: 'Alice: What is in this picture? [image: dot.png]' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
    expect(reply.parts.some((p) => p.type === 'notice' && p.text === CANNOT_SEE)).toBe(false);

    const kept = await stored();
    expect(kept).toContain('What is in this picture? [image: dot.png]');
    expect(kept).not.toContain(PNG.toString('base64'));
    expect(kept).not.toContain('image_url');

    // The next turn carries the note in its history, not the picture.
    await v.t.send('And now?');
    expect(imageParts(v.fake.chatRequests[1]!.body)).toEqual([]);
    expect(JSON.stringify(v.fake.chatRequests[1]!.body)).toContain('[image: dot.png]');
  });

  it('a picture alone (no text) is a turn', async () => {
    const reply = await v.t.send('', { attachments: [png()] });
    expect(reply.error).toBeUndefined();
    expect(lastContent(v.fake.chatRequests[0]!.body)[0]).toEqual({ type: 'text', text: 'Alice: [image: dot.png]' });
  });

  it('a model that cannot see gets the turn without the picture, and the user a notice', async () => {
    await v.t.send('/model text-1');
    const reply = await v.t.send('What is in this picture?', { attachments: [png()] });
    const [asked] = v.fake.chatRequests;
    expect(asked!.body.model).toBe('text-1');
    expect(imageParts(asked!.body)).toEqual([]);
    expect(lastContent(asked!.body)).toEqual([{ type: 'text', text: 'Alice: What is in this picture? [image: dot.png]' }]);
    expect(reply.parts).toContainEqual({ type: 'notice', text: CANNOT_SEE });
  });

  it('too many, too big or not a picture: one sentence, no model call, nothing stored', async () => {
    const five = Array.from({ length: 5 }, (_, i) => png(`p${i}.png`));
    expect((await v.t.send('look', { attachments: five })).error?.message).toBe(
      'Muse takes at most 4 pictures with one message, and 5 came, so nothing was sent.',
    );
    const big = Buffer.concat([PNG, Buffer.alloc(4 * 1024 * 1024)]);
    expect((await v.t.send('look', { attachments: [png('big.png', big)] })).error?.message).toBe(
      'The picture "big.png" is over 4 MB, the most Muse takes, so nothing was sent.',
    );
    expect((await v.t.send('look', { attachments: [png('v.fake.png', Buffer.from('not a picture at all'))] })).error?.message).toBe(
      '"v.fake.png" is not a PNG, JPEG, GIF or WebP picture, so nothing was sent.',
    );
    expect(v.fake.chatRequests).toHaveLength(0);
    expect(await v.t.store.getMeta(conversationKey(channel))).toBeUndefined();
  });

  it('/story new takes a picture the story begins from; a command that takes a file is not shown it', async () => {
    await v.t.send('/story new a fox by the river vote:0', { attachments: [png('river.png')] });
    expect(imageParts(v.fake.chatRequests[0]!.body)).toHaveLength(1);
    // A PNG character card goes to the import, never to the model.
    v.fake.reset();
    await v.t.send('/lore import', { attachments: [png('card.png')] });
    expect(v.fake.chatRequests).toHaveLength(0);
  });
});

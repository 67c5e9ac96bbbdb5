import type { ProblemState } from './state.js';

/**
 * The hint ladder. Each learner message on a problem is classified; the rung of the reply
 * follows from how many messages and attempts the problem has had:
 *
 *   0 ask what they know → 1 hint → 2 stronger hint → 3 worked step → 4 full worked answer allowed
 *
 * - An explicit request for the answer ("just tell me the answer", "I give up", "告诉我答案",
 *   "直接给答案", …, unless negated: "don't tell me the answer", "别告诉我答案") goes to rung 4.
 * - Two attempts go to rung 4.
 * - Otherwise the first message of a problem is on rung 0 (rung 1 when it is already an attempt)
 *   and each further message climbs one rung, at most to 3: being stuck again and again climbs
 *   to a worked step but never to the answer.
 * - Acknowledgements ("ok", "thanks", "好的") neither count nor climb.
 *
 * What counts as an attempt: a message that starts like an answer ("is it", "I think", "the
 * answer is", "我觉得", "答案是", …), or has digits or a math sign and is not a question with
 * words ("what is 1/2 + 1/4?" poses a problem; "3/4?" is an attempt), or, once the problem is
 * under way (after its first message), any statement that is not a request for the answer, a
 * "stuck" message ("I don't know", "hint?", "不知道", "提示"), a question or an
 * acknowledgement.
 *
 * A new problem starts: with the first message of a session, after a reply that allowed the
 * full answer, after a reply that begins with ✅ (the tutor is told to mark a correct answer so),
 * and when the learner asks for one ("next question", "another problem", "下一题", "换一题").
 */
export type MessageKind = 'request' | 'new' | 'ack' | 'question' | 'attempt' | 'stuck' | 'other';

export const RUNGS = ['ask what they know', 'hint 1', 'stronger hint', 'worked step', 'full worked answer allowed'] as const;
export const ANSWER_RUNG = 4;
export const SOLVED_MARK = '✅';

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const EN_REQUEST = [
  /\b(?:tell|give|show|send)(?: me)?(?: the| your| a)?(?: (?:full|whole|complete|final|correct|right|worked)){0,2}(?: answers?| solutions?| results?| working| steps)\b/,
  /\bjust (?:tell|give|show) (?:me|us)(?: it| already| please)?\s*(?:[.!?]|$)/,
  /\bwhat(?:'s| is| was) the (?:final |correct |right )?(?:answer|solution)\b/,
  /\b(?:i|i'll|i will|i'm going to) (?:give up|gave up|quit)\b/,
  /\bi'?m giving up\b/,
  /\b(?:reveal|spoil) (?:the |it|me)?(?:answer|solution)?\b/,
  /\b(?:i )?(?:want|need) (?:to see |to know )?the (?:answer|solution)\b/,
  /\bshow (?:me )?how to solve it\b/,
];
const EN_NEGATION = /\b(?:don't|do not|dont|never|not yet|no need to|without)(?: just| yet| now| please)?\s*$/;

const ZH_REQUEST =
  /(?:告[诉訴]我|给我|給我|直接给|直接給|直接说|直接說|公布|给出|給出|说出|說出|显示|顯示|看看?|求|要)(?:一下)?(?:正确|正確|最终|最終|标准|標準|完整)?的?(?:答案|解法|解答|解题过程|解題過程)|答案是(?:什么|什麼|啥|多少)|放弃|放棄|直接告[诉訴]我|完整的?(?:解答|答案|解法)|标准答案|標準答案|不想(?:再)?想了/;
const ZH_NEGATION = /(?:别|別|不要|先不|不用|不必|不想要|不会|不會)[^，。！？,.!?]{0,3}$/;

const NEW_PROBLEM =
  /\b(?:new|next|another|different|other) (?:problem|question|exercise|one|example)\b|\blet'?s (?:move on|try another)\b|下一[题題个個道]|换一[题題个個道]|換一[题題个個道]|新(?:的)?(?:问题|問題|题目|題目)|再来一[题題道个個]|再來一[题題道个個]/;
const ACK =
  /^(?:ok(?:ay)?|k|kk|thanks?(?: you)?(?: so much)?|thx|ty|got it|i see|cool|great|nice|alright|all right|好的?|嗯+|谢谢|謝謝|明白了?|懂了|知道了|了解)[\s.!。！~]*$/;
const STUCK =
  /\b(?:(?:i )?(?:don't|do not|dont) (?:know|get it|understand)|no idea|not sure|idk|stuck|hints?|help|clue|confused|lost)\b|不知道|不会|不會|不懂|没思路|沒思路|没想法|沒想法|卡住|提示|不明白|不清楚|没头绪|沒頭緒/;
const QUESTION_WORD = /^(?:what(?! about| if)|why|how|which|who|when|where)\b.*[?？]$|(?:什么|什麼|为什么|為什麼|怎么|怎麼|如何|哪|啥).*[?？]$/;
const ANSWER_CUE =
  /^(?:is it|isn't it|it's|it is|i think|i guess|i believe|maybe|perhaps|probably|my answer|the answer is|answer:|i got|i get|so it's|so it is|because|would it be|could it be|是|答案是|我觉得|我覺得|我认为|我認為|我想|应该是|應該是|可能是|大概是|等于|等於|因为|因為|所以)/;
const MATH = /[0-9=+×÷√^%∑∫π]/;

/** A real question (ends with "?" and has words, not just "3/4?"), not phrased as an answer. */
function isQuestion(t: string): boolean {
  if (!/[?？]$/.test(t)) return false;
  const words = t.match(/\p{Script=Latin}+/gu)?.length ?? 0;
  const han = t.match(/\p{Script=Han}/gu)?.length ?? 0;
  return words >= 2 || han >= 3;
}

function enRequest(text: string): boolean {
  for (const re of EN_REQUEST) {
    const m = re.exec(text);
    if (m && !EN_NEGATION.test(text.slice(0, m.index))) return true;
  }
  return false;
}

function zhRequest(text: string): boolean {
  const m = ZH_REQUEST.exec(text);
  return !!m && !ZH_NEGATION.test(text.slice(0, m.index));
}

/** True when the learner explicitly asks for the answer (English or Chinese). */
export function asksForAnswer(text: string): boolean {
  const t = normalize(text);
  return enRequest(t) || zhRequest(t);
}

/** What a learner's message is, given whether the problem is already under way. */
export function classify(text: string, underWay: boolean): MessageKind {
  const t = normalize(text);
  if (enRequest(t) || zhRequest(t)) return 'request';
  if (NEW_PROBLEM.test(t)) return 'new';
  if (ACK.test(t)) return 'ack';
  if (QUESTION_WORD.test(t)) return 'question';
  if (ANSWER_CUE.test(t)) return 'attempt';
  if (isQuestion(t)) return 'question';
  if (MATH.test(t)) return 'attempt';
  if (STUCK.test(t)) return 'stuck';
  return underWay ? 'attempt' : 'other';
}

/** The problem after one more learner message, and the rung its reply uses. */
export function climb(problem: ProblemState | undefined, kind: MessageKind): ProblemState {
  const prev = problem ?? { steps: 0, attempts: 0, rung: 0 };
  if (kind === 'ack') return { ...prev };
  const steps = prev.steps + 1;
  const attempts = prev.attempts + (kind === 'attempt' ? 1 : 0);
  const climbed = prev.steps === 0 ? (attempts > 0 ? 1 : 0) : Math.min(3, prev.rung + 1);
  const rung = kind === 'request' || attempts >= 2 ? ANSWER_RUNG : climbed;
  return { steps, attempts, rung, ...(rung === ANSWER_RUNG ? { revealed: true } : {}) };
}

const RULES: readonly string[] = [
  'Find out what the learner already knows and what they have tried: ask one guiding question. Do NOT give the answer, the result or the solution steps. (If they ask about a solution you already showed, you may explain that one again.)',
  'Say what is right in what they wrote, then give one small hint that points the way, and ask them to try. Do NOT give the answer or work the problem for them.',
  'Give a stronger, more specific hint: name the method or the next step to take, and ask them to try it. Do NOT give the final answer.',
  'Work one step of the solution as an example and let the learner do the rest. Do NOT give the final answer.',
  'You may now show the full worked answer, step by step, then check understanding with a short similar question.',
];

/** The per-turn instruction for a rung. */
export function ladderInstruction(rung: number, problem: ProblemState, explicit: boolean): string {
  const r = Math.max(0, Math.min(ANSWER_RUNG, rung));
  const why =
    r === ANSWER_RUNG
      ? explicit
        ? ' The learner asked for the answer explicitly.'
        : ` The learner has made ${problem.attempts} attempts.`
      : ` Attempts on this problem so far: ${problem.attempts}.`;
  return [
    `Tutoring hint ladder: rung ${r + 1} of ${RUNGS.length} (${RUNGS[r]}).${why}`,
    RULES[r],
    `If the learner's answer to the current problem is fully correct, begin your reply with ${SOLVED_MARK}, say so and say why it is right.`,
  ].join(' ');
}

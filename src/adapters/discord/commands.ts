import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { isGroup, type CommandSpec, type Localized, type OptionSpec, type SubcommandSpec } from '../../engine/spec.js';

/** Discord's rule for command and option names (lowercase where a letter has case). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
export const LOCALE_ZH = 'zh-CN';

/**
 * The Discord application commands for the platform-neutral specs: subcommands and groups of them, string options
 * with choices or persona autocomplete, integer / number (with min and max) and boolean options,
 * attachment options (a file picker), and zh-CN localizations. Throws on a spec Discord would
 * reject, naming the command, so a bad spec fails in the tests, not at deploy time.
 */
export function toDiscordCommands(specs: readonly CommandSpec[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return specs.map((spec) => {
    const body: RESTPostAPIChatInputApplicationCommandsJSONBody = {
      type: ApplicationCommandType.ChatInput,
      name: checkName(spec.name, `/${spec.name}`),
      description: checkDescription(spec.description, `/${spec.name}`),
      ...localizations(spec.zh, `/${spec.name}`),
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    };
    if (spec.subcommands) {
      body.options = checkCount(
        spec.subcommands.map((entry) => {
          if (!isGroup(entry)) return toSubcommand(entry, `/${spec.name}`);
          const where = `/${spec.name} ${entry.name}`;
          const group: APIApplicationCommandSubcommandGroupOption = {
            type: ApplicationCommandOptionType.SubcommandGroup,
            name: checkName(entry.name, where),
            description: checkDescription(entry.description, where),
            ...localizations(entry.zh, where),
            options: checkCount(
              entry.subcommands.map((sub) => toSubcommand(sub, where)),
              where,
            ),
          };
          return group;
        }),
        `/${spec.name}`,
      );
    } else {
      body.options = checkCount(toOptions(spec.options ?? [], `/${spec.name}`), `/${spec.name}`);
    }
    checkUnique(body.options, `/${spec.name}`);
    return body;
  });
}

function toSubcommand(sub: SubcommandSpec, parent: string): APIApplicationCommandSubcommandOption {
  const where = `${parent} ${sub.name}`;
  const options = checkCount(toOptions(sub.options, where), where);
  checkUnique(options, where);
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: checkName(sub.name, where),
    description: checkDescription(sub.description, where),
    ...localizations(sub.zh, where),
    options,
  };
}

/** Discord takes at most 25 options (subcommands, groups) at each level. */
function checkCount<T>(options: T[], where: string): T[] {
  if (options.length > 25) throw new Error(`${where} has ${options.length} options or subcommands; Discord allows at most 25.`);
  return options;
}

/** Names are unique at each level. */
function checkUnique(options: ReadonlyArray<{ name: string }>, where: string): void {
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.name)) throw new Error(`${where} has two options or subcommands named "${o.name}".`);
    seen.add(o.name);
  }
}

function toOptions(options: readonly OptionSpec[], where: string): APIApplicationCommandBasicOption[] {
  // Discord requires the required options first.
  const sorted = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
  return sorted.map((o): APIApplicationCommandBasicOption => {
    const at = `${where} ${o.name}:`;
    if (o.type === 'attachment') {
      // A file picker; the file arrives in Inbound.attachments, not among the string options.
      return {
        type: ApplicationCommandOptionType.Attachment,
        name: checkName(o.name, at),
        description: checkDescription(o.description, at),
        required: !!o.required,
        ...localizations(o.zh, at),
      };
    }
    if (o.type === 'integer' || o.type === 'number' || o.type === 'boolean') {
      // Discord's own option types: it checks whole numbers and bounds in its picker too.
      const type =
        o.type === 'integer'
          ? ApplicationCommandOptionType.Integer
          : o.type === 'number'
            ? ApplicationCommandOptionType.Number
            : ApplicationCommandOptionType.Boolean;
      return {
        type,
        name: checkName(o.name, at),
        description: checkDescription(o.description, at),
        required: !!o.required,
        ...localizations(o.zh, at),
        ...(o.type !== 'boolean' && o.min !== undefined ? { min_value: o.min } : {}),
        ...(o.type !== 'boolean' && o.max !== undefined ? { max_value: o.max } : {}),
      } as APIApplicationCommandBasicOption;
    }
    const option: APIApplicationCommandBasicOption = {
      type: ApplicationCommandOptionType.String,
      name: checkName(o.name, at),
      description: checkDescription(o.description, at),
      required: !!o.required,
      ...localizations(o.zh, at),
      ...(o.maxLength ? { max_length: Math.min(o.maxLength, 6000) } : {}),
    };
    if (o.choices) {
      if (o.choices.length > 25) throw new Error(`${at} has more than 25 choices, which Discord does not allow.`);
      return {
        ...option,
        choices: o.choices.map((c) => ({
          name: clip(c.label, 100),
          value: c.value,
          ...(c.labelZh ? { name_localizations: { [LOCALE_ZH]: clip(c.labelZh, 100) } } : {}),
        })),
      };
    }
    if (o.autocomplete) return { ...option, autocomplete: true } as APIApplicationCommandBasicOption;
    return option;
  });
}

function localizations(
  zh: Localized | undefined,
  where: string,
): { name_localizations?: Record<string, string>; description_localizations?: Record<string, string> } {
  if (!zh) return {};
  return {
    ...(zh.name ? { name_localizations: { [LOCALE_ZH]: checkName(zh.name, `${where} (zh-CN)`) } } : {}),
    description_localizations: { [LOCALE_ZH]: checkDescription(zh.description, `${where} (zh-CN)`) },
  };
}

function checkName(name: string, where: string): string {
  if (!NAME.test(name) || name !== name.toLowerCase()) {
    throw new Error(`${where}: the name "${name}" is not a valid Discord command name (1-32 lowercase letters, digits, - or _, no spaces).`);
  }
  return name;
}

function checkDescription(text: string, where: string): string {
  if (text.length < 1 || text.length > 100) throw new Error(`${where}: the description must be 1 to 100 characters (it has ${text.length}).`);
  return text;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Stryker ignorer: the only mutants left out of the mutation score are those inside text written for
 * a reader (error and finding messages, log lines). Changing those words cannot change a published
 * number, and the unit tests should not pin prose. Everything that decides a value, a sign, a
 * vintage or whether a check blocks stays mutated. Each rule returns the reason Stryker reports.
 */
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

/** Typed errors from functions/domain/errors.ts (and plain Error): their arguments are messages. */
const ERROR_CLASS =
  /(Error|LayoutChanged|NoTableOnPage|UpstreamUnavailable|UpstreamRefused|ReleaseRejected|RunInProgress|PublishHeld|StoreUnavailable)$/;

/**
 * Parameters that only name a place or a thing for a message ("Row 3 (\"Russia\"), exports"), by
 * function and argument index. Their text never reaches a published value.
 */
const MESSAGE_ARGUMENTS = {
  scaleDecimal: [2], // where
  parsePrintedNumber: [1], // where
  readReleasePage: [1], // what
  decodePage: [1], // what
  printedInterval: [1], // where
  yoyFollows: [3], // where
  // The check rules (functions/domain/checks/) take the parser's message last, as text or a function.
  flag: [2], // message
  warnLargeYoy: [2], // message
  checkFlowsAddUp: [3], // message
  checkMonthWithinYtd: [4], // message
  checkHasRows: [2], // message
  warnPartnerUnmapped: [1], // message
  checkYoyRecomputed: [1, 3], // where, message
};

function calleeName(node) {
  const callee = node.callee;
  if (callee?.type === "Identifier") return callee.name;
  if (
    callee?.type === "MemberExpression" &&
    callee.object?.type === "Identifier" &&
    callee.property?.type === "Identifier"
  ) {
    return `${callee.object.name}.${callee.property.name}`;
  }
  return undefined;
}

function isArgumentOf(path) {
  const parent = path.parentPath;
  if (!parent) return undefined;
  if ((parent.isNewExpression() || parent.isCallExpression()) && parent.node.arguments.includes(path.node)) {
    return { call: parent, index: parent.node.arguments.indexOf(path.node) };
  }
  return undefined;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "message-text", {
    shouldIgnore(path) {
      const arg = isArgumentOf(path);
      if (arg) {
        const name = calleeName(arg.call.node);
        if (arg.call.isNewExpression() && name && ERROR_CLASS.test(name)) {
          return "Message text of a typed error: words for the editor, never a number that is published.";
        }
        if (name && MESSAGE_ARGUMENTS[name]?.includes(arg.index)) {
          return `Argument ${arg.index + 1} of ${name}() only names the place or thing in a message to the editor.`;
        }
        if (name === "problems.push") {
          return "A fragment of a LayoutChanged message: words for the editor; that the layout is refused is tested.";
        }
        if (name && /^(console|logger|log)\./.test(name)) {
          return "Log text: words for the engineer reading logs.";
        }
      }
      const parent = path.parentPath;
      // `const where = ...`: the place a message names ("Row 3 (\"Russia\")"), used only in messages.
      if (
        parent?.isVariableDeclarator() &&
        parent.node.init === path.node &&
        parent.node.id.type === "Identifier" &&
        parent.node.id.name === "where"
      ) {
        return "`where` is the place a message names for the editor; it is used only in messages.";
      }
      // checkCurrencyAgrees(unit, [[where, text], ...]): `where` is the part of the page a message names.
      const tuple = parent?.isArrayExpression() ? parent.parentPath : undefined;
      const call = tuple?.isArrayExpression() ? tuple.parentPath : undefined;
      if (
        parent?.node.elements?.[0] === path.node &&
        call?.isCallExpression() &&
        calleeName(call.node) === "checkCurrencyAgrees" &&
        call.node.arguments[1] === tuple.node
      ) {
        return "The part of the page (title, title row) that a currency-agrees message names for the editor.";
      }
      if (
        parent?.isObjectProperty() &&
        parent.node.value === path.node &&
        !parent.node.computed &&
        ((parent.node.key.type === "Identifier" && parent.node.key.name === "message") ||
          (parent.node.key.type === "StringLiteral" && parent.node.key.value === "message"))
      ) {
        return "Message text of a check finding: words for the editor; the check name and whether it blocks are tested.";
      }
      // CheckRule.guards (functions/domain/checks/): the sentence docs/checks.md shows an engineer.
      if (
        parent?.isObjectProperty() &&
        parent.node.value === path.node &&
        !parent.node.computed &&
        parent.node.key.type === "Identifier" &&
        parent.node.key.name === "guards"
      ) {
        return "What a check rule guards, for an engineer reading docs/checks.md; its id and severity are tested.";
      }
      return undefined;
    },
  }),
];

/**
 * Numerals and digits are different registers of the same number: a dictionary pair `十,10` turned
 * 十年 into 10年, which no writer of the original would produce. By default a word written with
 * digits and a word written with numerals (十, 二十, 兩, ten, Ⅻ, ①) never replace each other;
 * `swap_numerals: true` allows it.
 */
const ENGLISH_NUMBER_WORDS = new Set(
  (
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen ' +
    'eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion ' +
    'first second third fourth fifth sixth seventh eighth ninth tenth dozen'
  ).split(' '),
);
// Han numerals (plain and financial) and Unicode's letter-like or other numerals (Ⅻ, ①, ½).
const NUMERAL_CHAR = /[〇零一二三四五六七八九十百千万萬亿億兆两兩壹贰貳叁參肆伍陆陸柒捌玖拾佰仟廿卅\p{Nl}\p{No}]/u;
const DIGIT = /\p{Nd}/u;

function hasNumeral(word: string): boolean {
  return NUMERAL_CHAR.test(word) || word.toLowerCase().split(/[\s-]+/).some((part) => ENGLISH_NUMBER_WORDS.has(part));
}

/** Whether replacing `word` by `synonym` keeps the way a number is written (digits vs numerals). */
export function keepsNumberForm(word: string, synonym: string): boolean {
  const wordDigits = DIGIT.test(word);
  if (wordDigits === DIGIT.test(synonym)) return true;
  return !hasNumeral(wordDigits ? synonym : word);
}

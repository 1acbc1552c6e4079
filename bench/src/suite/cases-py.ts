import type { SuiteCase } from './types.js'

const UNITTEST = 'python3 -m unittest {test}'

const romanTable = (subtractive: boolean) =>
  subtractive
    ? `NUMERALS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]`
    : `NUMERALS = [
    (1000, "M"),
    (500, "D"),
    (100, "C"),
    (50, "L"),
    (10, "X"),
    (5, "V"),
    (1, "I"),
]`

const romanSource = (subtractive: boolean) => `${romanTable(subtractive)}


def to_roman(number: int) -> str:
    """Writes a number from 1 to 3999 in Roman numerals."""
    if not 1 <= number <= 3999:
        raise ValueError("number must be between 1 and 3999")
    result = []
    for value, letters in NUMERALS:
        while number >= value:
            result.append(letters)
            number -= value
    return "".join(result)
`

const romanTests = (hidden: boolean) => `import unittest

from roman import to_roman


class ToRomanTest(unittest.TestCase):
    def test_additive(self):
        self.assertEqual(to_roman(3), "III")
        self.assertEqual(to_roman(2023), "MMXXIII")

    def test_out_of_range(self):
        with self.assertRaises(ValueError):
            to_roman(0)
${
  hidden
    ? `
    def test_subtractive(self):
        self.assertEqual(to_roman(4), "IV")
        self.assertEqual(to_roman(9), "IX")
        self.assertEqual(to_roman(40), "XL")
        self.assertEqual(to_roman(1994), "MCMXCIV")
`
    : ''
}`

const roman: SuiteCase = {
  name: 'roman',
  language: 'python',
  problem: `to_roman() writes 4 as IIII

\`to_roman(4)\` returns \`'IIII'\` and \`to_roman(1994)\` returns \`'MDCCCCLXXXXIIII'\`. Roman numerals use
subtractive notation: 4 is \`IV\`, 9 is \`IX\`, 40 is \`XL\`, 1994 is \`MCMXCIV\`.`,
  files: {
    'roman/__init__.py': 'from .convert import to_roman\n\n__all__ = ["to_roman"]\n',
    'roman/convert.py': romanSource(false),
    'tests/__init__.py': '',
    'tests/test_convert.py': romanTests(false),
  },
  fix: { 'roman/convert.py': romanSource(true) },
  hiddenTests: { 'tests/test_convert.py': romanTests(true) },
  testCmd: UNITTEST,
  failToPass: ['tests.test_convert.ToRomanTest.test_subtractive'],
  passToPass: [
    'tests.test_convert.ToRomanTest.test_additive',
    'tests.test_convert.ToRomanTest.test_out_of_range',
  ],
}

const wordfreq: SuiteCase = {
  name: 'wordfreq',
  language: 'python',
  problem: `word_counts() is case sensitive and counts punctuation

The docstring says words are counted ignoring case and surrounding punctuation, but
\`word_counts("The cat saw the dog. THE END!")\` returns
\`{'The': 1, 'cat': 1, 'saw': 1, 'the': 1, 'dog.': 1, 'THE': 1, 'END!': 1}\`.
Expected: \`{'the': 3, 'cat': 1, 'saw': 1, 'dog': 1, 'end': 1}\`. Apostrophes inside words must stay:
\`"don't"\` is one word.`,
  files: {
    'wordfreq/__init__.py': 'from .counter import word_counts\n\n__all__ = ["word_counts"]\n',
    'wordfreq/counter.py': `from collections import Counter


def word_counts(text):
    """Counts the words of a text, ignoring case and surrounding punctuation."""
    return dict(Counter(text.split()))
`,
    'tests/__init__.py': '',
    'tests/test_counter.py': `import unittest

from wordfreq import word_counts


class WordCountsTest(unittest.TestCase):
    def test_counts_repeated_words(self):
        self.assertEqual(word_counts("a b a"), {"a": 2, "b": 1})

    def test_empty_text(self):
        self.assertEqual(word_counts(""), {})
`,
  },
  fix: {
    'wordfreq/counter.py': `import re
from collections import Counter

WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def word_counts(text):
    """Counts the words of a text, ignoring case and surrounding punctuation."""
    return dict(Counter(WORD.findall(text.lower())))
`,
  },
  hiddenTests: {
    'tests/test_normalise.py': `import unittest

from wordfreq import word_counts


class NormaliseTest(unittest.TestCase):
    def test_ignores_case_and_punctuation(self):
        self.assertEqual(
            word_counts("The cat saw the dog. THE END!"),
            {"the": 3, "cat": 1, "saw": 1, "dog": 1, "end": 1},
        )

    def test_keeps_apostrophes_inside_words(self):
        self.assertEqual(word_counts("Don't stop, don't!"), {"don't": 2, "stop": 1})
`,
  },
  testCmd: UNITTEST,
  failToPass: [
    'tests.test_normalise.NormaliseTest.test_ignores_case_and_punctuation',
    'tests.test_normalise.NormaliseTest.test_keeps_apostrophes_inside_words',
  ],
  passToPass: [
    'tests.test_counter.WordCountsTest.test_counts_repeated_words',
    'tests.test_counter.WordCountsTest.test_empty_text',
  ],
}

const mergeSource = (fixed: boolean) => `def merge_intervals(intervals):
    """Merges overlapping or touching [start, end] intervals; returns them sorted by start."""
    merged = []
    for start, end in ${fixed ? 'sorted(intervals)' : 'intervals'}:
        if merged and start ${fixed ? '<=' : '<'} merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
`

const intervals: SuiteCase = {
  name: 'intervals',
  language: 'python',
  problem: `merge_intervals() fails on unsorted input and touching intervals

\`merge_intervals([[8, 10], [1, 3], [2, 6]])\` returns the input unchanged instead of
\`[[1, 6], [8, 10]]\`, and \`merge_intervals([[1, 2], [2, 3]])\` returns \`[[1, 2], [2, 3]]\` although the
intervals touch and should merge into \`[[1, 3]]\`. The result should always be sorted by start.`,
  files: {
    'intervals/__init__.py': 'from .merge import merge_intervals\n\n__all__ = ["merge_intervals"]\n',
    'intervals/merge.py': mergeSource(false),
    'tests/__init__.py': '',
    'tests/test_merge.py': `import unittest

from intervals import merge_intervals


class MergeTest(unittest.TestCase):
    def test_merges_overlaps(self):
        self.assertEqual(merge_intervals([[1, 3], [2, 6], [8, 10]]), [[1, 6], [8, 10]])

    def test_empty(self):
        self.assertEqual(merge_intervals([]), [])
`,
  },
  fix: { 'intervals/merge.py': mergeSource(true) },
  hiddenTests: {
    'tests/test_merge_order.py': `import unittest

from intervals import merge_intervals


class MergeOrderTest(unittest.TestCase):
    def test_unsorted_input(self):
        self.assertEqual(merge_intervals([[8, 10], [1, 3], [2, 6]]), [[1, 6], [8, 10]])

    def test_touching_intervals(self):
        self.assertEqual(merge_intervals([[1, 2], [2, 3]]), [[1, 3]])
`,
  },
  testCmd: UNITTEST,
  failToPass: [
    'tests.test_merge_order.MergeOrderTest.test_unsorted_input',
    'tests.test_merge_order.MergeOrderTest.test_touching_intervals',
  ],
  passToPass: ['tests.test_merge.MergeTest.test_merges_overlaps', 'tests.test_merge.MergeTest.test_empty'],
}

export const PY_CASES: SuiteCase[] = [roman, wordfreq, intervals]

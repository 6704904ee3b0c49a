using System;
using System.IO;
using System.Text;

namespace LeadTools.Core.Import
{
    /// <summary>Thrown by <see cref="GuardedTextReader"/> (and the CSV parser) to stop reading a file that is not text or holds a value beyond the cap.</summary>
    internal sealed class TextGuardException : Exception
    {
        public TextGuardException(RecordIssueKind kind, string message) : base(message) => Kind = kind;

        /// <summary><see cref="RecordIssueKind.BinaryContent"/> (a NUL character: a NUL byte, or bytes the encoding cannot decode) or <see cref="RecordIssueKind.ValueTooLong"/>.</summary>
        public RecordIssueKind Kind { get; }
    }

    /// <summary>
    /// The decoded text of an input file, guarded: a NUL character (a NUL byte) or <see cref="Undecodable"/> (what the
    /// decoder puts for bytes that are not valid in the encoding, see <see cref="ForReading"/>) ends the text there: everything before it is
    /// handed out, the next read throws. In JSON mode a string (or any stretch between two unescaped quotes) longer than
    /// the cap stops the read; in line mode (<see cref="ReadLine"/>, for JSON Lines) so does a longer line. So a huge
    /// or endless file (<c>/dev/zero</c>) cannot make one value grow memory without limit, and one bad byte costs only
    /// the record it is in. Checks are per block (vectorised searches), not per character.
    /// </summary>
    internal sealed class GuardedTextReader : TextReader
    {
        public enum GuardMode
        {
            /// <summary>NUL check only (CSV, whose parser caps its rows itself).</summary>
            Plain,
            /// <summary>NUL check and the cap on the stretch between unescaped quotes.</summary>
            Json,
            /// <summary>NUL check and the cap on a line, for <see cref="ReadLine"/>.</summary>
            Lines,
        }

        private readonly TextReader _inner;
        private readonly GuardMode _mode;
        private readonly int _max;
        private TextGuardException? _pending;
        private long _run;
        private char[]? _lineBuffer;
        private int _linePos;
        private int _lineLen;

        public GuardedTextReader(TextReader inner, GuardMode mode, int maxValueLength)
        {
            _inner = inner;
            _mode = mode;
            _max = maxValueLength;
        }

        /// <summary>Reads a block; stops short at a NUL character and throws on the next call.</summary>
        public override int Read(char[] buffer, int index, int count)
        {
            if (_peeked >= 0 && count > 0)
            {
                // A character Peek took: hand it out alone (a short read is allowed) so a guard stop after it cannot lose it.
                buffer[index] = (char)_peeked;
                _peeked = -1;
                return 1;
            }
            if (_pending != null) throw _pending;
            var n = _inner.Read(buffer, index, count);
            if (n <= 0) return n;
            var nul = Array.IndexOf(buffer, '\0', index, n);
            var bad = Array.IndexOf(buffer, Undecodable, index, nul >= 0 ? nul - index : n);
            if (bad >= 0) nul = bad;
            if (nul >= 0)
            {
                _pending = Nul();
                n = nul - index;
                if (n == 0) throw _pending;
            }
            if (_mode == GuardMode.Json) CheckRun(buffer, index, n);
            return n;
        }

        /// <summary>Not used by the readers; guarded like <see cref="Read(char[], int, int)"/>.</summary>
        public override int Read()
        {
            _one ??= new char[1];
            return Read(_one, 0, 1) == 1 ? _one[0] : -1;
        }

        private char[]? _one;
        private int _peeked = -1;

        /// <summary>The next character without taking it (-1 at the end), read through the guard: a NUL or undecodable byte throws here as it would on the read.</summary>
        public override int Peek()
        {
            if (_peeked < 0) _peeked = Read();
            return _peeked;
        }

        /// <summary>The next line (CRLF, LF or CR ends it), without its line end; null at the end.</summary>
        public override string? ReadLine()
        {
            _lineBuffer ??= new char[64 * 1024];
            StringBuilder? partial = null;
            while (true)
            {
                if (_linePos >= _lineLen && !FillLine())
                {
                    return partial?.ToString();
                }
                var available = _lineLen - _linePos;
                var lf = Array.IndexOf(_lineBuffer, '\n', _linePos, available);
                var searchEnd = lf >= 0 ? lf : _lineLen;
                var cr = Array.IndexOf(_lineBuffer, '\r', _linePos, searchEnd - _linePos);
                var end = cr >= 0 ? cr : lf;
                if (end < 0)
                {
                    partial ??= new StringBuilder();
                    partial.Append(_lineBuffer, _linePos, available);
                    _linePos = _lineLen;
                    if (partial.Length > _max) throw TooLong("a line");
                    continue;
                }
                if ((partial?.Length ?? 0) + (end - _linePos) > _max) throw TooLong("a line");
                string line;
                if (partial == null)
                {
                    line = new string(_lineBuffer, _linePos, end - _linePos);
                }
                else
                {
                    partial.Append(_lineBuffer, _linePos, end - _linePos);
                    line = partial.ToString();
                }
                _linePos = end + 1;
                if (_lineBuffer[end] == '\r')
                {
                    if (_linePos >= _lineLen) FillLineAfterCr();
                    if (_linePos < _lineLen && _lineBuffer[_linePos] == '\n') _linePos++;
                }
                return line;
            }
        }

        private bool FillLine()
        {
            _linePos = 0;
            _lineLen = Read(_lineBuffer!, 0, _lineBuffer!.Length);
            return _lineLen > 0;
        }

        private void FillLineAfterCr()
        {
            // A CR at the end of the buffer: look at the next block for its LF, but a NUL there is reported by the next line's read.
            if (_pending != null)
            {
                _linePos = _lineLen = 0;
                return;
            }
            try
            {
                FillLine();
            }
            catch (TextGuardException)
            {
                _linePos = _lineLen = 0;
            }
        }

        /// <summary>
        /// JSON: the stretch since the last unescaped quote (a string's text, or what lies between two strings) may not
        /// exceed the cap. Only the last quote of each block is looked at: the run restarts there.
        /// </summary>
        private void CheckRun(char[] buffer, int index, int count)
        {
            var end = index + count;
            var quote = end;
            while (true)
            {
                quote = quote > index ? Array.LastIndexOf(buffer, '"', quote - 1, quote - index) : -1;
                if (quote < 0) break;
                var slashes = 0;
                for (var i = quote - 1; i >= index && buffer[i] == '\\'; i--) slashes++;
                if (slashes % 2 == 0) break; // an unescaped quote
            }
            _run = quote < 0 ? _run + count : end - quote - 1;
            if (_run > _max && _pending == null) _pending = TooLong("a JSON value");
        }

        private static TextGuardException Nul() =>
            new TextGuardException(RecordIssueKind.BinaryContent, "a NUL character");

        private TextGuardException TooLong(string what) =>
            new TextGuardException(RecordIssueKind.ValueTooLong, $"{what} is longer than {_max} characters (the limit of one value, line or CSV row)");

        /// <summary>Disposes the wrapped reader.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }

        /// <summary>
        /// What the decoder puts for bytes it cannot decode: U+FFFF, a noncharacter that no text holds (a decoder fallback
        /// cannot produce NUL: it means "no more characters" to the decoder).
        /// </summary>
        public const char Undecodable = '\uFFFF';

        /// <summary>
        /// Encodings for reading input: the given one with a decoder that puts <see cref="Undecodable"/> for bytes it cannot
        /// decode (instead of throwing a buffer ahead of the parser, which lost the good records decoded with the bad byte).
        /// </summary>
        public static Encoding ForReading(Encoding encoding)
        {
            var clone = (Encoding)encoding.Clone();
            clone.DecoderFallback = new DecoderReplacementFallback(Undecodable.ToString());
            return clone;
        }
    }
}

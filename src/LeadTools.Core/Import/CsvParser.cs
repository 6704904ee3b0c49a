using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace LeadTools.Core.Import
{
    /// <summary>
    /// RFC 4180 CSV rows off a <see cref="TextReader"/>: quoted fields, doubled quotes, delimiters and line
    /// breaks inside quotes, CRLF / LF / CR line ends. Tracks the physical line each row starts on.
    /// </summary>
    internal sealed class CsvParser
    {
        private readonly TextReader _reader;
        private readonly char[] _buffer = new char[64 * 1024];
        private readonly StringBuilder _field = new StringBuilder();
        private int _pos;
        private int _len;
        private long _line = 1;
        private long _consumed;
        private long _rowStart;
        private bool _inRow;

        public CsvParser(TextReader reader, char delimiter = ',')
        {
            _reader = reader;
            Delimiter = delimiter;
        }

        /// <summary>The field separator.</summary>
        public char Delimiter { get; set; }

        /// <summary>The physical line the last row started on.</summary>
        public long RowLine { get; private set; }

        /// <summary>The current physical line.</summary>
        public long Line => _line;

        /// <summary>Set when the last row ended inside an unclosed quote (end of file).</summary>
        public bool UnterminatedQuote { get; private set; }

        /// <summary>False when the last row ended at the end of the input without a line end (a file cut short?).</summary>
        public bool RowHadLineEnd { get; private set; }

        /// <summary>The longest row, in characters; a longer one throws <see cref="TextGuardException"/> (checked at each buffer refill and row end).</summary>
        public long MaxRowLength { get; set; } = long.MaxValue;

        /// <summary>Reads the next row into <paramref name="fields"/>; false at end of input. Blank lines are skipped.</summary>
        public bool ReadRow(List<string> fields)
        {
            fields.Clear();
            UnterminatedQuote = false;
            while (true)
            {
                var c = Peek();
                if (c < 0) return false;
                if (c == '\r' || c == '\n')
                {
                    ConsumeLineEnd();
                    continue;
                }
                break;
            }
            RowLine = _line;
            _rowStart = _consumed + _pos;
            _inRow = true;
            RowHadLineEnd = false;
            while (true)
            {
                _field.Clear();
                var c = Peek();
                if (c == '"')
                {
                    _pos++;
                    ReadQuoted();
                }
                else
                {
                    while (true)
                    {
                        c = Peek();
                        if (c < 0 || c == Delimiter || c == '\r' || c == '\n') break;
                        _field.Append((char)c);
                        _pos++;
                    }
                }
                fields.Add(_field.ToString());
                c = Peek();
                if (c == Delimiter)
                {
                    _pos++;
                    continue;
                }
                _inRow = false;
                if (_consumed + _pos - _rowStart > MaxRowLength) throw RowTooLong();
                if (c == '\r' || c == '\n')
                {
                    ConsumeLineEnd();
                    RowHadLineEnd = true;
                }
                return true;
            }
        }

        /// <summary>The text of the first line still to read (as far as the buffer holds), without consuming it.</summary>
        public string PeekLine()
        {
            if (Peek() < 0) return string.Empty;
            var end = _pos;
            while (end < _len && _buffer[end] != '\r' && _buffer[end] != '\n') end++;
            return new string(_buffer, _pos, end - _pos);
        }

        private void ReadQuoted()
        {
            while (true)
            {
                var c = Peek();
                if (c < 0)
                {
                    UnterminatedQuote = true;
                    return;
                }
                _pos++;
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        _field.Append('"');
                        _pos++;
                        continue;
                    }
                    // Closing quote. Text between it and the delimiter is kept, as Excel does.
                    while (true)
                    {
                        c = Peek();
                        if (c < 0 || c == Delimiter || c == '\r' || c == '\n') return;
                        _field.Append((char)c);
                        _pos++;
                    }
                }
                if (c == '\n' || (c == '\r' && Peek() != '\n')) _line++;
                _field.Append((char)c);
            }
        }

        private void ConsumeLineEnd()
        {
            var c = Peek();
            _pos++;
            if (c == '\r' && Peek() == '\n') _pos++;
            _line++;
        }

        private int Peek()
        {
            if (_pos < _len) return _buffer[_pos];
            return Refill();
        }

        // Kept out of Peek, so that Peek stays small enough to be inlined into the per-character loops.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private int Refill()
        {
            _consumed += _pos;
            if (_inRow && _consumed - _rowStart > MaxRowLength) throw RowTooLong();
            _len = _reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            return _len <= 0 ? -1 : _buffer[0];
        }

        private TextGuardException RowTooLong() =>
            new TextGuardException(RecordIssueKind.ValueTooLong, $"a CSV row is longer than {MaxRowLength} characters (the limit of one value, line or CSV row)");

        /// <summary>
        /// The position of the first of <paramref name="candidates"/> among a header's column names (exact case first,
        /// then ignoring case; surrounding spaces ignored), or -1. Result and success files name the same column
        /// differently (ID, sf__Id, Id).
        /// </summary>
        public static int FindColumn(IList<string> names, params string[] candidates)
        {
            foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
            {
                foreach (var candidate in candidates)
                {
                    for (var i = 0; i < names.Count; i++)
                    {
                        if (string.Equals(names[i].Trim(), candidate, comparison)) return i;
                    }
                }
            }
            return -1;
        }

        /// <summary>The delimiter a header line uses: comma unless the line has none and has semicolons or tabs.</summary>
        public static char DetectDelimiter(string headerLine)
        {
            if (headerLine.IndexOf(',') >= 0) return ',';
            if (headerLine.IndexOf('\t') >= 0) return '\t';
            if (headerLine.IndexOf(';') >= 0) return ';';
            return ',';
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Export
{
    /// <summary>
    /// CSV ready for Data Loader and <c>sf data upsert bulk</c>: a header of API names, nested relationship values
    /// flattened to <c>Account.Name</c> columns, null written as <c>#N/A</c> (missing fields stay empty),
    /// date-times in ISO-8601 UTC. Streams: the header is the first record's fields; when later records bring
    /// new fields the file is rewritten once at the end with the full header and the short rows padded.
    /// </summary>
    internal sealed class CsvRecordWriter : RecordWriter
    {
        private readonly List<string> _columns = new List<string>();
        private readonly List<string> _headerCells = new List<string>();
        private readonly Dictionary<string, int> _columnIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly List<long> _rowBytes = new List<long>();
        private readonly List<int> _rowFields = new List<int>();
        private readonly StringBuilder _line = new StringBuilder(1024);
        private readonly List<string?> _cells = new List<string?>();
        private readonly List<bool> _present = new List<bool>();
        private AtomicFileWriter? _file;
        private int _headerColumns;
        private long _headerBytes;
        private byte[] _bytes = new byte[4096];

        public CsvRecordWriter(string path, ExportOptions options)
            : base(path, options, RecordFormat.Csv)
        {
            _file = new AtomicFileWriter(path, options.ExistingFile);
        }

        private char Delimiter => Options.CsvDelimiter;

        protected override void WriteCore(CrmRecord record, string? objectType)
        {
            _cells.Clear();
            _present.Clear();
            for (var i = 0; i < _columns.Count; i++)
            {
                _cells.Add(null);
                _present.Add(false);
            }
            for (var i = 0; i < record.Count; i++)
            {
                var name = record.NameAt(i);
                if (string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase)) continue;
                AddCell(name, record.ValueAt(i), objectType, record);
            }
            if (RecordCount == 1)
            {
                WriteHeader();
            }
            _line.Clear();
            for (var i = 0; i < _cells.Count; i++)
            {
                if (i > 0) _line.Append(Delimiter);
                if (!_present[i]) continue; // missing: empty, which Bulk API reads as "leave as is"
                AppendField(_line, _cells[i] ?? Options.CsvNullValue);
            }
            var bytes = Emit(_line);
            _rowBytes.Add(bytes);
            _rowFields.Add(_cells.Count);
            EmitNewLine();
        }

        private void AddCell(string name, object? value, string? objectType, CrmRecord record)
        {
            if (value is JObject nested)
            {
                // A relationship value (Account: {Name: ...}) becomes Account.Name, as Data Loader exports it.
                foreach (var p in nested.Properties())
                {
                    if (string.Equals(p.Name, "attributes", StringComparison.OrdinalIgnoreCase)) continue;
                    AddCell(name + "." + p.Name, p.Value is JValue v ? v.Value : p.Value, objectType, record);
                }
                return;
            }
            if (!_columnIndex.TryGetValue(name, out var index))
            {
                index = _columns.Count;
                _columns.Add(name);
                // Header cells open in a spreadsheet like any other cell: checked (and escaped) the same way.
                _headerCells.Add(Formulas.CheckHeader(name, objectType));
                _columnIndex.Add(name, index);
                _cells.Add(null);
                _present.Add(false);
            }
            string? text = value is JArray array ? array.ToString(Formatting.None) : CsvText(value);
            if (text != null) text = Formulas.Check(text, objectType, record.Id, RecordCount, name);
            _cells[index] = text;
            _present[index] = true;
        }

        private void WriteHeader()
        {
            var preamble = Encoding.GetPreamble();
            _file!.Stream.Write(preamble, 0, preamble.Length);
            _line.Clear();
            for (var i = 0; i < _columns.Count; i++)
            {
                if (i > 0) _line.Append(Delimiter);
                AppendField(_line, _headerCells[i]);
            }
            _headerBytes = preamble.Length + Emit(_line);
            EmitNewLine();
            _headerColumns = _columns.Count;
        }

        private void AppendField(StringBuilder sb, string value)
        {
            var quote = value.Length > 0 && (value[0] == ' ' || value[value.Length - 1] == ' ');
            if (!quote)
            {
                foreach (var c in value)
                {
                    if (c == Delimiter || c == '"' || c == '\r' || c == '\n')
                    {
                        quote = true;
                        break;
                    }
                }
            }
            if (!quote)
            {
                sb.Append(value);
                return;
            }
            sb.Append('"');
            foreach (var c in value)
            {
                if (c == '"') sb.Append('"');
                sb.Append(c);
            }
            sb.Append('"');
        }

        private long Emit(StringBuilder text)
        {
            var chars = text.ToString();
            var needed = Encoding.GetMaxByteCount(chars.Length);
            if (_bytes.Length < needed) _bytes = new byte[Math.Max(needed, _bytes.Length * 2)];
            var count = Encoding.GetBytes(chars, 0, chars.Length, _bytes, 0);
            _file!.Stream.Write(_bytes, 0, count);
            return count;
        }

        private void EmitNewLine()
        {
            _file!.Stream.WriteByte((byte)'\r');
            _file.Stream.WriteByte((byte)'\n');
        }

        protected override void CompleteCore()
        {
            if (RecordCount == 0)
            {
                // No records: an empty file would not read back; write an empty header line only if columns are known.
                WriteHeader();
            }
            if (_columns.Count == _headerColumns)
            {
                _file!.Commit();
                return;
            }
            // Later records brought new columns: rewrite with the full header, padding the short rows.
            var first = _file!;
            first.Stream.Flush();
            var firstHeaderBytes = _headerBytes;
            using (var source = new FileStream(first.TempPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024))
            using (var second = new AtomicFileWriter(Path, Options.ExistingFile))
            {
                _file = second;
                WriteHeader();
                source.Position = firstHeaderBytes + 2;
                var copy = new byte[64 * 1024];
                var padding = Encoding.GetBytes(new string(Delimiter, 1));
                for (var r = 0; r < _rowBytes.Count; r++)
                {
                    var remaining = _rowBytes[r];
                    while (remaining > 0)
                    {
                        var n = source.Read(copy, 0, (int)Math.Min(copy.Length, remaining));
                        if (n <= 0) throw new IOException("The CSV spool ended early.");
                        second.Stream.Write(copy, 0, n);
                        remaining -= n;
                    }
                    for (var p = _rowFields[r]; p < _columns.Count; p++) second.Stream.Write(padding, 0, padding.Length);
                    source.Position += 2;
                    EmitNewLine();
                }
                second.Commit();
            }
            first.Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _file?.Dispose();
        }
    }
}

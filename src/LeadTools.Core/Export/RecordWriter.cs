using System;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using LeadTools.Core.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Export
{
    /// <summary>
    /// Writes records to a file in one of the export formats, atomically: the file appears (or is replaced)
    /// only when <see cref="Complete"/> succeeds; disposing without completing leaves the old file untouched.
    /// </summary>
    public abstract class RecordWriter : IDisposable
    {
        private bool _completed;

        /// <summary>Sets up the writer.</summary>
        protected RecordWriter(string path, ExportOptions options, RecordFormat format)
        {
            Path = System.IO.Path.GetFullPath(path);
            Options = options;
            Format = format;
            Formulas = new FormulaGuard(options.EscapeFormula);
            Encoding = options.Encoding ?? TextEncodings.Utf8NoBom;
        }

        /// <summary>Opens a writer for <paramref name="path"/> in the format the options (or the extension) say.</summary>
        public static RecordWriter Create(string path, ExportOptions options)
        {
            var format = ExportOptions.FormatFor(path, options.Format);
            switch (format)
            {
                case RecordFormat.Csv:
                    return new CsvRecordWriter(path, options);
                case RecordFormat.JsonLines:
                case RecordFormat.JsonArray:
                case RecordFormat.SalesforceRest:
                    return new JsonRecordWriter(path, options, format);
                case RecordFormat.SfTree:
                    return new TreeRecordWriter(path, options);
                default:
                    throw new ArgumentException($"LeadTools does not write {format}; use JsonArray, JsonLines, Csv, SalesforceRest or SfTree.");
            }
        }

        /// <summary>The destination.</summary>
        public string Path { get; }

        /// <summary>The options.</summary>
        protected ExportOptions Options { get; }

        /// <summary>The format written.</summary>
        public RecordFormat Format { get; }

        /// <summary>The text encoding.</summary>
        protected Encoding Encoding { get; }

        /// <summary>Records written so far.</summary>
        public long RecordCount { get; private set; }

        /// <summary>Formula-like values found (CSV output only).</summary>
        public FormulaGuard Formulas { get; }

        /// <summary>Other files written besides <see cref="Path"/> (tree files listed by a plan).</summary>
        public System.Collections.Generic.List<string> ExtraFiles { get; } = new System.Collections.Generic.List<string>();

        /// <summary>Writes one record.</summary>
        public void Write(CrmRecord record)
        {
            if (_completed) throw new InvalidOperationException("The writer is complete.");
            RecordCount++;
            WriteCore(record, record.ObjectType ?? Options.ObjectType);
        }

        /// <summary>Finishes the file and puts it in place.</summary>
        public void Complete()
        {
            CompleteCore();
            _completed = true;
        }

        /// <summary>Writes one record; <paramref name="objectType"/> is its type or the default.</summary>
        protected abstract void WriteCore(CrmRecord record, string? objectType);

        /// <summary>Finishes and commits.</summary>
        protected abstract void CompleteCore();

        /// <summary>Releases the temporary file(s) unless completed.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Writes a field value as JSON.</summary>
        protected static void WriteJsonValue(JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null:
                    writer.WriteNull();
                    break;
                case string s:
                    writer.WriteValue(s);
                    break;
                case JToken token:
                    token.WriteTo(writer);
                    break;
                case DateTime dt:
                    writer.WriteValue(RecordValue.FormatDateTime(dt));
                    break;
                case DateTimeOffset dto:
                    writer.WriteValue(RecordValue.ToText(dto));
                    break;
                case bool _:
                case long _:
                case int _:
                case short _:
                case byte _:
                case decimal _:
                case double _:
                case float _:
                case BigInteger _:
                case ulong _:
                case uint _:
                    writer.WriteValue(value);
                    break;
                default:
                    writer.WriteValue(RecordValue.ToText(value));
                    break;
            }
        }

        private static readonly Regex OffsetDateTime = new Regex(
            @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Text for CSV: ISO-8601 date-times with an offset become UTC (<c>...Z</c>), as the Bulk API expects;
        /// date-time objects are written in UTC; numbers and booleans invariantly.
        /// </summary>
        protected static string? CsvText(object? value)
        {
            if (value is string s)
            {
                if (s.Length >= 16 && s.Length <= 40 && s[4] == '-' && OffsetDateTime.IsMatch(s))
                {
                    var normalised = s.Length > 5 && (s[s.Length - 5] == '+' || s[s.Length - 5] == '-') ? s.Insert(s.Length - 2, ":") : s;
                    if (DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
                    {
                        return dto.UtcDateTime.ToString(RecordValue.UtcDateTimeFormat, CultureInfo.InvariantCulture);
                    }
                }
                return s;
            }
            return RecordValue.ToText(value);
        }
    }

    /// <summary>JSON array, JSON Lines and Salesforce REST query-result shapes, streamed.</summary>
    internal sealed class JsonRecordWriter : RecordWriter
    {
        private readonly AtomicFileWriter _file;
        private readonly StreamWriter _text;
        private readonly JsonTextWriter _json;

        public JsonRecordWriter(string path, ExportOptions options, RecordFormat format)
            : base(path, options, format)
        {
            _file = new AtomicFileWriter(path, options.ExistingFile);
            _text = new StreamWriter(_file.Stream, Encoding, 64 * 1024);
            _json = new JsonTextWriter(_text)
            {
                Formatting = format != RecordFormat.JsonLines && options.Indent ? Formatting.Indented : Formatting.None,
                CloseOutput = false,
            };
            if (format == RecordFormat.SalesforceRest)
            {
                _json.WriteStartObject();
                _json.WritePropertyName("records");
                _json.WriteStartArray();
            }
            else if (format == RecordFormat.JsonArray)
            {
                _json.WriteStartArray();
            }
        }

        protected override void WriteCore(CrmRecord record, string? objectType)
        {
            _json.WriteStartObject();
            // Records read from formats that do not carry their type get Salesforce's attributes.type, so they read back typed.
            var needsAttributes = objectType != null && !record.Has("attributes") && (Format == RecordFormat.SalesforceRest || !record.Has("ObjectType"));
            if (needsAttributes)
            {
                _json.WritePropertyName("attributes");
                _json.WriteStartObject();
                _json.WritePropertyName("type");
                _json.WriteValue(objectType);
                _json.WriteEndObject();
            }
            for (var i = 0; i < record.Count; i++)
            {
                _json.WritePropertyName(record.NameAt(i));
                WriteJsonValue(_json, record.ValueAt(i));
            }
            _json.WriteEndObject();
            if (Format == RecordFormat.JsonLines)
            {
                _json.Flush();
                _text.Write('\n');
            }
        }

        protected override void CompleteCore()
        {
            if (Format == RecordFormat.SalesforceRest)
            {
                _json.WriteEndArray();
                _json.WritePropertyName("totalSize");
                _json.WriteValue(RecordCount);
                _json.WritePropertyName("done");
                _json.WriteValue(true);
                _json.WriteEndObject();
            }
            else if (Format == RecordFormat.JsonArray)
            {
                _json.WriteEndArray();
            }
            _json.Flush();
            if (Format != RecordFormat.JsonLines) _text.Write('\n');
            _text.Flush();
            _file.Commit();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _file.Dispose();
        }
    }
}

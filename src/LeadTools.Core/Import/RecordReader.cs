using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Records;
using LeadTools.Core.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Import
{
    /// <summary>
    /// Reads CRM exports into <see cref="CrmRecord"/>s, streaming: Salesforce REST / sf CLI / tree files and
    /// plans, Dataverse Web API, ActiveCampaign v3, Salesforce UI API and GraphQL, JSON arrays, JSON Lines
    /// and CSV. Problems are reported through the issue callback with file and position; the rest of the
    /// file (where it can be read) and the other files still come through.
    /// </summary>
    public sealed class RecordReader
    {
        private static readonly HashSet<string> ActiveCampaignKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "contacts", "contact", "contactTags", "contactTag", "tags", "tag", "accounts", "account", "accountContacts",
            "contactLists", "lists", "list", "deals", "deal", "fieldValues", "fields", "contactAutomations", "automations",
            "geoIps", "geoAddresses", "notes", "campaigns", "messages", "users", "groups", "contactData", "scoreValues",
        };

        private readonly ImportOptions _options;
        private readonly Action<RecordIssue> _onIssue;
        private readonly HashSet<string> _filesRead = new HashSet<string>(StringComparer.Ordinal);
        // Ids seen per object type (type names match case-insensitively, ids exactly: Salesforce's 15-character ids
        // differ by case). The value packs the file's index and the record number; the message is made only on a hit.
        private readonly Dictionary<string, SeenIds> _idsSeen = new Dictionary<string, SeenIds>(StringComparer.OrdinalIgnoreCase);
        private SeenIds? _lastSeen;
        private string? _lastSeenType;
        private readonly List<string> _fileNames = new List<string>();
        private int _lastWidth = 8;
        private string? _lastValidType;

        /// <summary>Creates a reader; <paramref name="onIssue"/> receives every error and warning.</summary>
        public RecordReader(ImportOptions options, Action<RecordIssue> onIssue)
        {
            _options = options;
            _onIssue = onIssue;
        }

        /// <summary>Opens an input file for reading (a test seam for faults such as a permission denied).</summary>
        internal Func<string, Stream> OpenFile { get; set; } = DefaultOpen;

        /// <summary>How input files are opened: shared for reading, sequential.</summary>
        internal static Stream DefaultOpen(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

        /// <summary>The format of the last file read (after detection).</summary>
        public RecordFormat LastFormat { get; private set; }

        /// <summary>Reads several files as one set: ids are unique across them and tree references resolve across them.</summary>
        public IEnumerable<CrmRecord> ReadFiles(IEnumerable<string> paths)
        {
            if (_options.ResolveReferences)
            {
                var all = new List<CrmRecord>();
                foreach (var path in paths) all.AddRange(ReadFile(path));
                ResolveReferences(all);
                return all;
            }
            return paths.SelectMany(ReadFile);
        }

        /// <summary>Reads one file (a plan file reads the files it lists). Files already read by this reader are skipped.</summary>
        public IEnumerable<CrmRecord> ReadFile(string path)
        {
            var full = Path.GetFullPath(path);
            if (!_filesRead.Add(full)) yield break;
            if (!File.Exists(full))
            {
                Report(new RecordIssue(RecordIssueKind.FileNotFound, full, Directory.Exists(full) ? "is a folder, not a file." : "the file does not exist."));
                yield break;
            }
            var context = new FileContext(full);
            IEnumerator<CrmRecord> records;
            try
            {
                records = ReadRaw(context).GetEnumerator();
            }
            catch (IOException ex)
            {
                Report(new RecordIssue(RecordIssueKind.FileNotFound, full, "cannot be read: " + ex.Message));
                yield break;
            }
            using (records)
            {
                while (true)
                {
                    CrmRecord record;
                    try
                    {
                        if (!records.MoveNext()) break;
                        record = records.Current;
                    }
                    catch (RecordIssueException ex)
                    {
                        Report(ex.Issue);
                        break;
                    }
                    catch (TextGuardException ex)
                    {
                        Report(GuardIssue(context, ex));
                        break;
                    }
                    catch (UnauthorizedAccessException ex)
                    {
                        Report(new RecordIssue(RecordIssueKind.FileUnreadable, full, "cannot be read: " + ex.Message + (context.RecordNumber > 0 ? $" ({context.RecordNumber} record(s) were read before)" : string.Empty), context.Line));
                        break;
                    }
                    catch (DecoderFallbackException ex)
                    {
                        Report(EncodingIssue(context, ex));
                        break;
                    }
                    catch (JsonReaderException ex) when (ex.InnerException is DecoderFallbackException dfe)
                    {
                        Report(EncodingIssue(context, dfe, ex.LineNumber));
                        break;
                    }
                    catch (JsonReaderException ex)
                    {
                        Report(JsonIssue(context, ex));
                        break;
                    }
                    catch (IOException ex) when (!(ex is FileNotFoundException) && !(ex is DirectoryNotFoundException))
                    {
                        Report(ReadFailure(context, ex));
                        break;
                    }
                    catch (IOException ex)
                    {
                        Report(new RecordIssue(RecordIssueKind.FileNotFound, full, "the file went away while it was read: " + ex.Message, context.Line));
                        break;
                    }
                    if (record.SourceFile == null) record.SourceFile = full;
                    if (Accept(record, context)) yield return record;
                }
            }
            if (context.PlannedFiles == null) yield break;
            foreach (var planned in context.PlannedFiles)
            {
                foreach (var r in ReadFile(planned)) yield return r;
            }
        }

        // ------------------------------------------------------------------ per-file dispatch

        private sealed class FileContext
        {
            public FileContext(string path)
            {
                Path = path;
                FileType = ObjectTypes.FromFileName(path);
            }

            public string Path { get; }
            public string? FileType { get; }
            public long RecordNumber;
            public Func<long>? CurrentLine;
            public bool? HasIds;
            public bool ReportedNoType;
            public int FileIndex = -1;
            public List<string>? PlannedFiles;
            /// <summary>The encoding the file is read with (NUL for undecodable bytes), after the byte-order mark.</summary>
            public Encoding Encoding = TextEncodings.StrictUtf8;
            public int BomLength;
            /// <summary>The bytes the encoding was told from ("UTF-16 LE (no byte-order mark)"...), for messages.</summary>
            public string EncodingName = "UTF-8";
            public bool IsUtf8 = true;
            /// <summary>The first 4 KB hold NUL bytes that are not UTF-16/32: the file is binary.</summary>
            public bool HeadHasNul;
            /// <summary>Set while a JSON record is being read (an error then belongs to that record, not the next).</summary>
            public bool InRecord;
            /// <summary>JSON Lines: the file line of the line being parsed minus one (its reader counts from 1).</summary>
            public long LineOffset;
            public Func<long>? RowLine;

            public long Line => CurrentLine?.Invoke() ?? 0;
        }

        private IEnumerable<CrmRecord> ReadRaw(FileContext context)
        {
            var format = Sniff(context);
            LastFormat = format;
            var mode = format == RecordFormat.Csv ? GuardedTextReader.GuardMode.Plain
                : format == RecordFormat.JsonLines ? GuardedTextReader.GuardMode.Lines
                : GuardedTextReader.GuardMode.Json;
            using (var stream = OpenFile(context.Path))
            using (var text = new GuardedTextReader(OpenText(stream, context), mode, _options.MaxValueLength))
            {
                IEnumerable<CrmRecord> records;
                switch (format)
                {
                    case RecordFormat.Csv:
                        records = ReadCsv(context, text);
                        break;
                    case RecordFormat.JsonLines:
                        records = ReadJsonLines(context, text);
                        break;
                    case RecordFormat.SalesforceUiApi:
                        records = ReadUiApi(context, text);
                        break;
                    case RecordFormat.JsonArray:
                        records = ReadTopArray(context, text);
                        break;
                    default:
                        records = ReadTopEnvelope(context, text);
                        break;
                }
                foreach (var r in records) yield return r;
            }
        }

        /// <summary>Decides the format from the extension and the start of the content.</summary>
        private RecordFormat Sniff(FileContext context)
        {
            SniffEncoding(context);
            using (var stream = OpenFile(context.Path))
            using (var text = OpenText(stream, context, 1024))
            {
                int first;
                try
                {
                    while ((first = text.Read()) >= 0 && (char.IsWhiteSpace((char)first) || first == '\uFEFF'))
                    {
                    }
                }
                catch (DecoderFallbackException)
                {
                    // Reported with its position by the real read.
                    return _options.Format == RecordFormat.JsonLines ? RecordFormat.JsonLines : RecordFormat.Csv;
                }
                if (first < 0)
                {
                    throw Issue(RecordIssueKind.EmptyFile, context, "the file is empty: it holds no records (not even a header row or an empty JSON array).");
                }
                if (_options.Format == RecordFormat.Csv || _options.Format == RecordFormat.JsonLines) return _options.Format;
                var ext = Path.GetExtension(context.Path).ToLowerInvariant();
                if (ext == ".jsonl" || ext == ".ndjson") return RecordFormat.JsonLines;
                if (first == '[') return RecordFormat.JsonArray;
                if (first != '{')
                {
                    if (first != 0 && first != GuardedTextReader.Undecodable && (ext == ".json" || (ext != ".csv" && ext != ".txt" && ext != ".tsv" && "\"-0123456789tfn".IndexOf((char)first) >= 0)))
                    {
                        RefuseJsonScalar(context, ext == ".json");
                    }
                    return RecordFormat.Csv;
                }
            }
            return SniffJsonObject(context);
        }

        /// <summary>
        /// A JSON file that holds one scalar (<c>42</c>, <c>"x"</c>, <c>null</c>) rather than records is refused; so is a
        /// .json file that is not JSON at all. A file of another extension whose content is not one whole scalar is CSV.
        /// </summary>
        private void RefuseJsonScalar(FileContext context, bool jsonExtension)
        {
            string? what = null;
            using (var stream = OpenFile(context.Path))
            using (var text = new GuardedTextReader(OpenText(stream, context), GuardedTextReader.GuardMode.Json, Math.Min(_options.MaxValueLength, 64 * 1024)))
            {
                var reader = JsonValueReader.Create(text, false);
                try
                {
                    if (reader.Read())
                    {
                        var token = reader.TokenType;
                        var shown = reader.Value switch
                        {
                            null => string.Empty,
                            bool b => b ? " (true)" : " (false)",
                            string sv => " (\"" + (sv.Length > 40 ? sv.Substring(0, 40) + "..." : sv) + "\")",
                            object v => " (" + Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) + ")",
                        };
                        if (!reader.Read()) what = "a single JSON value, " + Describe(token) + shown;
                    }
                }
                catch (JsonReaderException)
                {
                }
                catch (TextGuardException)
                {
                }
            }
            if (what == null && !jsonExtension) return;
            throw Issue(RecordIssueKind.UnrecognisedFormat, context,
                $"the file holds {what ?? "text that is not JSON"}, not records: a JSON export is an array of record objects or an object such as a query result.", 1, 0);
        }

        /// <summary>
        /// Tells the encoding from the first 4 KB: a byte-order mark wins; then (without -Encoding) UTF-16 / UTF-32 from
        /// their NUL bytes; then -Encoding or UTF-8. An 8-bit -Encoding on a file that is plainly UTF-16/32 is refused
        /// with the advice that reads it; a wide -Encoding is trusted.
        /// </summary>
        private void SniffEncoding(FileContext context)
        {
            var head = new byte[4096];
            var n = 0;
            using (var stream = OpenFile(context.Path))
            {
                int got;
                while (n < head.Length && (got = stream.Read(head, n, head.Length - n)) > 0) n += got;
            }
            Encoding encoding;
            if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) (encoding, context.BomLength, context.EncodingName) = (TextEncodings.StrictUtf8, 3, "UTF-8");
            else if (n >= 4 && head[0] == 0xFF && head[1] == 0xFE && head[2] == 0 && head[3] == 0) (encoding, context.BomLength, context.EncodingName) = (new UTF32Encoding(false, false, true), 4, "UTF-32 LE");
            else if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) (encoding, context.BomLength, context.EncodingName) = (new UnicodeEncoding(false, false, true), 2, "UTF-16 LE");
            else if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0xFE && head[3] == 0xFF) (encoding, context.BomLength, context.EncodingName) = (new UTF32Encoding(true, false, true), 4, "UTF-32 BE");
            else if (n >= 2 && head[0] == 0xFE && head[1] == 0xFF) (encoding, context.BomLength, context.EncodingName) = (new UnicodeEncoding(true, false, true), 2, "UTF-16 BE");
            else
            {
                var wide = DetectWide(head, n);
                context.HeadHasNul = wide == null && Array.IndexOf(head, (byte)0, 0, n) >= 0;
                var given = _options.Encoding;
                if (given != null)
                {
                    var givenWide = given is UnicodeEncoding || given is UTF32Encoding;
                    if (wide != null && !givenWide)
                    {
                        throw Issue(RecordIssueKind.InvalidEncoding, context,
                            $"the file is {wide.Value.Name} text without a byte-order mark (every other byte is NUL), but -Encoding {given.WebName} reads it one byte per character, which gives garbage. Leave out -Encoding (LeadTools detects UTF-16 and UTF-32) or pass -Encoding {(wide.Value.Name.StartsWith("UTF-16 BE", StringComparison.Ordinal) ? "utf16BE" : "utf16")}.", 1, 1);
                    }
                    encoding = given;
                    context.EncodingName = given.WebName;
                }
                else if (wide != null)
                {
                    encoding = wide.Value.Encoding;
                    context.EncodingName = wide.Value.Name + " (no byte-order mark)";
                }
                else
                {
                    encoding = TextEncodings.StrictUtf8;
                }
            }
            context.IsUtf8 = encoding.CodePage == 65001;
            context.Encoding = GuardedTextReader.ForReading(encoding);
        }

        /// <summary>UTF-16 / UTF-32 text without a byte-order mark, told from where its NUL bytes are; null for anything else.</summary>
        private static (Encoding Encoding, string Name)? DetectWide(byte[] head, int n)
        {
            if (n < 4) return null;
            var quads = n / 4;
            var zeros = new int[4];
            for (var i = 0; i < quads * 4; i++)
            {
                if (head[i] == 0) zeros[i % 4]++;
            }
            if (zeros[0] + zeros[1] + zeros[2] + zeros[3] == 0) return null;
            // UTF-32: three NUL bytes in every unit for Latin text (the high two always for the BMP).
            if (zeros[2] == quads && zeros[3] == quads && zeros[0] == 0) return (new UTF32Encoding(false, false, true), "UTF-32 LE");
            if (zeros[0] == quads && zeros[1] == quads && zeros[3] == 0) return (new UTF32Encoding(true, false, true), "UTF-32 BE");
            // UTF-16: NUL high bytes on one side only, in at least a quarter of the units (Latin text, digits, punctuation).
            var even = zeros[0] + zeros[2];
            var odd = zeros[1] + zeros[3];
            var units = quads * 2;
            if (even == 0 && odd * 4 >= units) return (new UnicodeEncoding(false, false, true), "UTF-16 LE");
            if (odd == 0 && even * 4 >= units) return (new UnicodeEncoding(true, false, true), "UTF-16 BE");
            return null;
        }

        private RecordFormat SniffJsonObject(FileContext context)
        {
            using (var stream = OpenFile(context.Path))
            using (var text = new GuardedTextReader(OpenText(stream, context), GuardedTextReader.GuardMode.Json, _options.MaxValueLength))
            {
                var reader = JsonValueReader.Create(text, true);
                try
                {
                    reader.Read();
                    var sawOData = false;
                    if (reader.Read() && reader.TokenType == JsonToken.EndObject && !reader.Read())
                    {
                        throw Issue(RecordIssueKind.UnrecognisedFormat, context, "the file holds an empty JSON object {}: it has no fields and no records.", 1, 0);
                    }
                    reader = JsonValueReader.Create(RewindText(stream, text, context), true);
                    reader.Read();
                    while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                    {
                        var name = (string)reader.Value!;
                        reader.Read();
                        var container = reader.TokenType == JsonToken.StartArray || reader.TokenType == JsonToken.StartObject;
                        switch (name)
                        {
                            case "records" when reader.TokenType == JsonToken.StartArray:
                                return RecordFormat.SalesforceRest;
                            case "result" when reader.TokenType == JsonToken.StartObject:
                                return RecordFormat.SfCliJson;
                            case "status":
                                if (reader.TokenType == JsonToken.Integer) return RecordFormat.SfCliJson;
                                break;
                            case "value" when sawOData:
                            case "@odata.context":
                                return RecordFormat.Dataverse;
                            case "uiapi":
                            case "apiName":
                                return RecordFormat.SalesforceUiApi;
                            case "totalSize":
                            case "done":
                            case "nextRecordsUrl":
                            case "meta":
                                break;
                            default:
                                if (name.StartsWith("@odata.", StringComparison.Ordinal))
                                {
                                    sawOData = true;
                                    break;
                                }
                                if (container && ActiveCampaignKeys.Contains(name)) return RecordFormat.ActiveCampaign;
                                return RecordFormat.JsonLines;
                        }
                        if (container) reader.Skip();
                    }
                }
                catch (JsonReaderException)
                {
                    // The real read reports it with its position.
                }
                catch (DecoderFallbackException)
                {
                }
                catch (TextGuardException)
                {
                    // The real read reports it.
                }
                return RecordFormat.JsonLines;
            }
        }

        private TextReader RewindText(Stream stream, TextReader old, FileContext context)
        {
            stream.Position = 0;
            return new GuardedTextReader(OpenText(stream, context), GuardedTextReader.GuardMode.Json, _options.MaxValueLength);
        }

        private static StreamReader OpenText(Stream stream, FileContext context, int bufferSize = 64 * 1024)
        {
            // The encoding was told by SniffEncoding (a byte-order mark always wins); the mark itself is skipped here, so that
            // StreamReader does not swap in its own lenient decoder for it.
            if (context.BomLength > 0)
            {
                var skip = new byte[context.BomLength];
                var got = 0;
                int n;
                while (got < skip.Length && (n = stream.Read(skip, got, skip.Length - got)) > 0) got += n;
            }
            return new StreamReader(stream, context.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: bufferSize);
        }

        // ------------------------------------------------------------------ JSON shapes

        private IEnumerable<CrmRecord> ReadTopEnvelope(FileContext context, TextReader text)
        {
            var reader = JsonValueReader.Create(text, false);
            context.CurrentLine = () => reader.LineNumber;
            JsonValueReader.Next(reader);
            foreach (var r in ReadEnvelope(context, reader)) yield return r;
            if (reader.Read())
            {
                throw Issue(RecordIssueKind.MalformedJson, context, $"unexpected {reader.TokenType} after the end of the top-level object.", reader.LineNumber, reader.LinePosition);
            }
        }

        /// <summary>Walks an envelope object (Salesforce, sf CLI, Dataverse, ActiveCampaign), streaming its record arrays.</summary>
        private IEnumerable<CrmRecord> ReadEnvelope(FileContext context, JsonTextReader reader)
        {
            string? odataContext = null;
            CrmRecord? single = null;
            string? nextPage = null;
            long? status = null;
            string? cliMessage = null;
            var sawTotalSize = false;
            var singleLine = reader.LineNumber;
            while (JsonValueReader.Next(reader) && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value!;
                JsonValueReader.Next(reader);
                var token = reader.TokenType;
                if (single != null)
                {
                    single.Add(name, ReadFieldValue(context, reader));
                    continue;
                }
                switch (name)
                {
                    case "records" when token == JsonToken.StartArray:
                        foreach (var r in ReadArrayOfRecords(context, reader, null, null)) yield return r;
                        continue;
                    case "value" when token == JsonToken.StartArray && odataContext != null:
                        var type = ODataEntityType(odataContext);
                        foreach (var r in ReadArrayOfRecords(context, reader, type, type == null ? null : type + "id")) yield return r;
                        continue;
                    case "result" when token == JsonToken.StartObject:
                        foreach (var r in ReadEnvelope(context, reader)) yield return r;
                        continue;
                    case "@odata.context" when token == JsonToken.String:
                        odataContext = (string)reader.Value!;
                        if (odataContext.EndsWith("/$entity", StringComparison.Ordinal))
                        {
                            single = new CrmRecord(ODataEntityType(odataContext)) { SourceLine = singleLine };
                            var t = single.ObjectType;
                            if (t != null) single.IdField = t + "id";
                        }
                        continue;
                    case "done" when token == JsonToken.Boolean && !(bool)reader.Value!:
                        nextPage ??= "(no next-page link given)";
                        continue;
                    case "nextRecordsUrl" when token == JsonToken.String:
                    case "@odata.nextLink" when token == JsonToken.String:
                        nextPage = (string)reader.Value!;
                        continue;
                    case "totalSize":
                        sawTotalSize = true;
                        continue;
                    case "status" when token == JsonToken.Integer:
                        status = (long)reader.Value!;
                        continue;
                    case "message" when token == JsonToken.String:
                        cliMessage = (string)reader.Value!;
                        continue;
                }
                if (token == JsonToken.StartArray && ActiveCampaignKeys.Contains(name))
                {
                    foreach (var r in ReadArrayOfRecords(context, reader, ObjectTypes.Singular(name), null)) yield return r;
                    continue;
                }
                if (token == JsonToken.StartObject && ActiveCampaignKeys.Contains(name))
                {
                    foreach (var r in ReadOneRecord(context, reader, ObjectTypes.Singular(name), null)) yield return r;
                    continue;
                }
                reader.Skip();
            }
            if (!sawTotalSize && LastFormat == RecordFormat.SalesforceRest) LastFormat = RecordFormat.SfTree;
            if (status.HasValue && status.Value != 0)
            {
                throw Issue(RecordIssueKind.ApiErrorResponse, context, $"the file is an error reply of the Salesforce CLI (status {status}), not records: {cliMessage ?? "no message"}.");
            }
            if (single != null)
            {
                context.RecordNumber++;
                single.SourceRecordNumber = context.RecordNumber;
                yield return single;
            }
            if (nextPage != null)
            {
                Report(new RecordIssue(RecordIssueKind.IncompletePage, context.Path, $"the file is one page of a larger query result; the rest is not in this file (next page: {nextPage}).", 0, 0, 0, isWarning: true));
            }
        }

        private IEnumerable<CrmRecord> ReadArrayOfRecords(FileContext context, JsonTextReader reader, string? type, string? idField)
        {
            while (JsonValueReader.Next(reader) && reader.TokenType != JsonToken.EndArray)
            {
                // The common case without an iterator per record (this runs a million times for a 1M file).
                var record = ReadRecordAt(context, reader, type, idField);
                if (record == null) continue;
                if (!MayHaveChildren(record))
                {
                    yield return record;
                    continue;
                }
                foreach (var r in FlattenTree(context, record)) yield return r;
            }
        }

        /// <summary>Reads the record at the current token, with the tree children it carries.</summary>
        private IEnumerable<CrmRecord> ReadOneRecord(FileContext context, JsonTextReader reader, string? type, string? idField)
        {
            var record = ReadRecordAt(context, reader, type, idField);
            if (record == null) yield break;
            foreach (var r in FlattenTree(context, record)) yield return r;
        }

        /// <summary>Reads the record at the current token; reports and skips (null) what is not a readable record.</summary>
        private CrmRecord? ReadRecordAt(FileContext context, JsonTextReader reader, string? type, string? idField)
        {
            context.RecordNumber++;
            var line = reader.LineNumber + context.LineOffset;
            if (reader.TokenType != JsonToken.StartObject)
            {
                Report(new RecordIssue(RecordIssueKind.WrongValueType, context.Path, $"a record must be a JSON object, not {Describe(reader.TokenType)}; it is skipped.", line, reader.LinePosition, context.RecordNumber));
                context.InRecord = true;
                reader.Skip();
                context.InRecord = false;
                return null;
            }
            var depth = reader.Depth;
            CrmRecord? record = null;
            context.InRecord = true;
            try
            {
                // Records of one file have much the same width: size the field arrays from the last one.
                record = JsonValueReader.ReadRecord(reader, _options.MaxDepth, _lastWidth);
                _lastWidth = Math.Max(8, record.Count);
            }
            catch (JsonValueReader.TooDeepException ex)
            {
                Report(new RecordIssue(RecordIssueKind.NestingTooDeep, context.Path, $"a value nests deeper than {_options.MaxDepth} levels (at {ex.Message}); the record is skipped.", reader.LineNumber + context.LineOffset, reader.LinePosition, context.RecordNumber));
                JsonValueReader.SkipToEndOf(reader, depth);
            }
            context.InRecord = false;
            if (record == null) return null;
            if (record.Count == 0)
            {
                Report(new RecordIssue(RecordIssueKind.WrongValueType, context.Path, "the record is an empty JSON object {}: it has no fields; it is skipped.", line, 0, context.RecordNumber));
                return null;
            }
            record.SourceRecordNumber = context.RecordNumber;
            record.SourceLine = line;
            if (type != null) record.ObjectType = type;
            if (idField != null) record.IdField = idField;
            return record;
        }

        /// <summary>False when <see cref="FlattenTree"/> would give the record alone (no nested object can hold child records).</summary>
        private static bool MayHaveChildren(CrmRecord record)
        {
            for (var i = 0; i < record.Count; i++)
            {
                if (record.RawValueAt(i) is JObject) return true;
            }
            return false;
        }

        private object? ReadFieldValue(FileContext context, JsonTextReader reader)
        {
            var depth = reader.Depth;
            try
            {
                return JsonValueReader.ReadValue(reader, 1, _options.MaxDepth);
            }
            catch (JsonValueReader.TooDeepException ex)
            {
                JsonValueReader.SkipToEndOf(reader, depth);
                throw Issue(RecordIssueKind.NestingTooDeep, context, $"a value nests deeper than {_options.MaxDepth} levels (at {ex.Message}).", reader.LineNumber, reader.LinePosition);
            }
        }

        private static string Describe(JsonToken token) => token switch
        {
            JsonToken.StartArray => "an array",
            JsonToken.String => "a string",
            JsonToken.Integer => "a number",
            JsonToken.Float => "a number",
            JsonToken.Boolean => "a boolean",
            JsonToken.Null => "null",
            _ => token.ToString(),
        };

        /// <summary>
        /// Tree files nest child records (<c>"Contacts": {"records": [...]}</c>). They are separate records:
        /// the parent comes first, then each child with a lookup to it (<c>AccountId = "@ParentRef"</c>).
        /// </summary>
        private IEnumerable<CrmRecord> FlattenTree(FileContext context, CrmRecord record)
        {
            List<CrmRecord>? children = null;
            List<string>? childFields = null;
            for (var i = 0; i < record.Count; i++)
            {
                if (record.RawValueAt(i) is JObject o && o["records"] is JArray arr && arr.Count > 0 &&
                    arr.All(e => e is JObject eo && eo["attributes"] is JObject ea && ea["referenceId"] != null))
                {
                    (childFields ??= new List<string>()).Add(record.NameAt(i));
                    var parentType = (record["attributes"] as JObject)?["type"]?.ToString() ?? record.ObjectType;
                    var parentRef = record.ReferenceId;
                    foreach (JObject childObject in arr)
                    {
                        var child = JsonValueReader.FromJObject(childObject);
                        context.RecordNumber++;
                        child.SourceRecordNumber = context.RecordNumber;
                        child.SourceLine = record.SourceLine;
                        if (parentType != null && parentRef != null)
                        {
                            var link = parentType.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? parentType : parentType + "Id";
                            if (!child.Has(link)) child.Insert(Math.Min(1, child.Count), link, "@" + parentRef);
                        }
                        (children ??= new List<CrmRecord>()).Add(child);
                    }
                }
            }
            if (childFields != null)
            {
                foreach (var f in childFields) record.Remove(f);
            }
            yield return record;
            if (children == null) yield break;
            foreach (var child in children)
            {
                foreach (var r in FlattenTree(context, child)) yield return r;
            }
        }

        private static string? ODataEntityType(string context)
        {
            var hash = context.IndexOf('#');
            if (hash < 0) return null;
            var end = hash + 1;
            while (end < context.Length && (char.IsLetterOrDigit(context[end]) || context[end] == '_')) end++;
            return end > hash + 1 ? ObjectTypes.Singular(context.Substring(hash + 1, end - hash - 1)) : null;
        }

        private IEnumerable<CrmRecord> ReadTopArray(FileContext context, TextReader text)
        {
            var reader = JsonValueReader.Create(text, false);
            context.CurrentLine = () => reader.LineNumber;
            JsonValueReader.Next(reader);
            var first = true;
            while (JsonValueReader.Next(reader) && reader.TokenType != JsonToken.EndArray)
            {
                if (!first)
                {
                    // As in ReadArrayOfRecords: no iterator per record in the common case.
                    var record = ReadRecordAt(context, reader, null, null);
                    if (record == null) continue;
                    if (!MayHaveChildren(record))
                    {
                        yield return record;
                        continue;
                    }
                    foreach (var r in FlattenTree(context, record)) yield return r;
                    continue;
                }
                foreach (var r in ReadOneRecord(context, reader, null, null))
                {
                    if (first)
                    {
                        first = false;
                        if (r.Has("sobject") && r.Has("files"))
                        {
                            // An sf data tree plan: the records are in the files it lists.
                            ReadPlan(context, r, reader);
                            LastFormat = RecordFormat.SfTree;
                            yield break;
                        }
                        if (r.Has("errorCode") && r.Has("message"))
                        {
                            throw Issue(RecordIssueKind.ApiErrorResponse, context, $"the file is an error reply of the Salesforce API, not records: {r.GetString("errorCode")}: {r.GetString("message")}.");
                        }
                    }
                    yield return r;
                }
            }
            if (reader.Read())
            {
                throw Issue(RecordIssueKind.MalformedJson, context, $"unexpected {reader.TokenType} after the end of the top-level array.", reader.LineNumber, reader.LinePosition);
            }
        }

        private void ReadPlan(FileContext context, CrmRecord firstEntry, JsonTextReader reader)
        {
            var entries = new List<CrmRecord> { firstEntry };
            while (JsonValueReader.Next(reader) && reader.TokenType != JsonToken.EndArray)
            {
                if (reader.TokenType == JsonToken.StartObject) entries.Add(JsonValueReader.ReadRecord(reader, _options.MaxDepth));
                else reader.Skip();
            }
            var folder = Path.GetDirectoryName(context.Path) ?? ".";
            context.PlannedFiles = new List<string>();
            foreach (var entry in entries)
            {
                if (entry["files"] is JArray files)
                {
                    context.PlannedFiles.AddRange(files.Select(f => Path.Combine(folder, f.ToString())));
                }
            }
        }

        private IEnumerable<CrmRecord> ReadJsonLines(FileContext context, TextReader text)
        {
            long lineNumber = 0;
            context.CurrentLine = () => lineNumber;
            var names = new JsonValueReader.InterningNameTable();
            while (true)
            {
                string? line;
                try
                {
                    line = text.ReadLine();
                }
                catch (TextGuardException ex) when (ex.Kind == RecordIssueKind.ValueTooLong)
                {
                    throw new RecordIssueException(GuardIssue(context, ex, lineNumber + 1));
                }
                if (line == null) break;
                lineNumber++;
                context.LineOffset = lineNumber - 1;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var recordNumber = context.RecordNumber + 1;
                List<CrmRecord> records;
                try
                {
                    var reader = JsonValueReader.Create(new StringReader(line), false);
                    reader.PropertyNameTable = names; // one table for the file: its records share their name strings
                    JsonValueReader.Next(reader);
                    records = ReadOneRecord(context, reader, null, null).ToList();
                    if (reader.Read())
                    {
                        throw new JsonReaderException($"Unexpected {reader.TokenType} after the record's end.", reader.Path, (int)lineNumber, reader.LinePosition, null);
                    }
                }
                catch (JsonReaderException ex)
                {
                    context.RecordNumber = recordNumber;
                    context.InRecord = false;
                    var kind = JsonIssue(context, ex).Kind;
                    var what = kind == RecordIssueKind.TruncatedJson ? "the line ends before its JSON value is complete" : "the line is not well-formed JSON";
                    Report(new RecordIssue(kind, context.Path, $"{what}: {CleanJsonMessage(ex)}; the line is skipped.", lineNumber, ex.LinePosition, recordNumber));
                    continue;
                }
                foreach (var r in records)
                {
                    r.SourceLine = lineNumber;
                    yield return r;
                }
            }
        }

        private IEnumerable<CrmRecord> ReadUiApi(FileContext context, TextReader text)
        {
            var reader = JsonValueReader.Create(text, false);
            context.CurrentLine = () => reader.LineNumber;
            JsonValueReader.Next(reader);
            if (!(JsonValueReader.ReadToken(reader, _options.MaxDepth) is JObject root)) yield break;
            if (root["uiapi"]?["query"] is JObject query)
            {
                foreach (var typed in query.Properties())
                {
                    if (!(typed.Value["edges"] is JArray edges)) continue;
                    foreach (var edge in edges)
                    {
                        if (!(edge["node"] is JObject node)) continue;
                        var record = new CrmRecord(typed.Name);
                        foreach (var p in node.Properties()) record.Add(p.Name, UnwrapUiValue(p.Value));
                        context.RecordNumber++;
                        record.SourceRecordNumber = context.RecordNumber;
                        yield return record;
                    }
                }
                yield break;
            }
            var single = new CrmRecord(root.Value<string>("apiName"));
            if (root["id"] is JValue id) single.Add("Id", id.Value);
            if (root["fields"] is JObject fields)
            {
                foreach (var p in fields.Properties()) single.Add(p.Name, UnwrapUiValue(p.Value));
            }
            context.RecordNumber++;
            single.SourceRecordNumber = context.RecordNumber;
            single.SourceLine = 1;
            yield return single;
        }

        private static object? UnwrapUiValue(JToken token)
        {
            if (token is JObject o && o.TryGetValue("value", StringComparison.Ordinal, out var v))
            {
                return v is JValue jv ? jv.Value : v;
            }
            return token is JValue plain ? plain.Value : token;
        }

        // ------------------------------------------------------------------ CSV

        private IEnumerable<CrmRecord> ReadCsv(FileContext context, TextReader text)
        {
            var parser = new CsvParser(text) { MaxRowLength = _options.MaxValueLength };
            context.CurrentLine = () => parser.Line;
            context.RowLine = () => parser.RowLine;
            parser.Delimiter = CsvParser.DetectDelimiter(parser.PeekLine());
            var header = new List<string>();
            if (!parser.ReadRow(header))
            {
                throw Issue(RecordIssueKind.EmptyFile, context, "the file is empty: it has no header row.");
            }
            var names = header.Select(h => h.Trim('\uFEFF')).ToArray();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Length; i++)
            {
                if (names[i].Trim().Length == 0)
                {
                    throw Issue(RecordIssueKind.BadHeader, context, $"header column {i + 1} has no name.", parser.RowLine, 0);
                }
                if (!seen.Add(names[i]))
                {
                    throw Issue(RecordIssueKind.BadHeader, context, $"the header names column '{names[i]}' twice (columns are matched case-insensitively).", parser.RowLine, 0);
                }
            }
            var nulls = _options.CsvNullValues;
            var row = new List<string>(names.Length);
            var escaped = 0L;
            (long Line, string Field) firstEscaped = (0, string.Empty);
            while (parser.ReadRow(row))
            {
                context.RecordNumber++;
                if (parser.UnterminatedQuote)
                {
                    throw Issue(RecordIssueKind.MalformedCsv, context, "a quoted field is never closed: the file ends inside quotes.", parser.RowLine, 0);
                }
                if (row.Count != names.Length)
                {
                    Report(new RecordIssue(RecordIssueKind.RaggedRow, context.Path, $"the row has {row.Count} fields but the header has {names.Length}; the row is skipped.", parser.RowLine, 0, context.RecordNumber));
                    continue;
                }
                var record = new CrmRecord(null, names.Length) { SourceRecordNumber = context.RecordNumber, SourceLine = parser.RowLine };
                for (var i = 0; i < names.Length; i++)
                {
                    var cell = row[i];
                    if (cell.Length > 1 && cell[0] == '\'' && IsEscapedFormula(cell))
                    {
                        if (escaped++ == 0) firstEscaped = (parser.RowLine, names[i]);
                    }
                    record.Add(names[i], nulls.Contains(cell) ? null : cell);
                }
                yield return record;
            }
            if (context.RecordNumber > 0 && !parser.RowHadLineEnd)
            {
                // Every CSV writer ends its last row with a line end: without one the file may have been cut inside its last field.
                Report(new RecordIssue(RecordIssueKind.TruncatedCsv, context.Path,
                    "the last row has no line end: the file may have been cut short inside its last field; check that row's last value.",
                    parser.RowLine, 0, context.RecordNumber, isWarning: true));
            }
            if (escaped > 0)
            {
                Report(new RecordIssue(RecordIssueKind.SpreadsheetEscapedValues, context.Path,
                    $"{escaped} value(s) start with the apostrophe a spreadsheet export puts before =, +, -, @ (first: field {firstEscaped.Field}): the file looks like a copy written for a spreadsheet (Export-CrmRecord -EscapeFormula). " +
                    "The values are read as they are, apostrophe included; do not load this file into the CRM with Data Loader or the Bulk API, export a copy without -EscapeFormula instead.",
                    firstEscaped.Line, 0, 0, isWarning: true));
            }
        }

        private static bool IsEscapedFormula(string cell) => Export.FormulaGuard.IsFormulaLike(cell.Substring(1));

        // ------------------------------------------------------------------ shared record checks

        private bool Accept(CrmRecord record, FileContext context)
        {
            if (!HasUniqueFields(record, out var duplicate))
            {
                Report(RecordIssue(RecordIssueKind.DuplicateField, context, record,
                    $"the record names the field {duplicate} (field names are matched case-insensitively, so one value would silently replace the other); the record is skipped."));
                return false;
            }
            // Object type: the record's own declaration, then the envelope, then -ObjectType, file name, id prefix.
            string? declared = null;
            // attributes.type read without building the attributes object (the reader keeps it flat).
            if (record.TryGetObjectProperty("attributes", "type", out var typeValue))
            {
                var typeToken = typeValue as JToken;
                var tokenType = typeToken?.Type ?? (typeValue is string ? JTokenType.String : new JValue(typeValue).Type);
                if (tokenType != JTokenType.String)
                {
                    Report(RecordIssue(RecordIssueKind.WrongValueType, context, record, $"attributes.type must be text, not {tokenType}."));
                    return false;
                }
                declared = typeToken != null ? (string)typeToken! : (string)typeValue!;
            }
            else if (record.ObjectType == null && record.TryGet("ObjectType", out var ot) && ot is string ots)
            {
                declared = ots;
            }
            declared ??= record.ObjectType;
            if (declared != null)
            {
                // The same type name comes on every record of a file: validate it once.
                var known = string.Equals(declared, _lastValidType, StringComparison.Ordinal);
                if (!known && !ObjectTypes.IsValidName(declared))
                {
                    Report(RecordIssue(RecordIssueKind.ObjectTypeUnknown, context, record, $"unknown object type '{declared}': an object type is an API name (letters, digits and underscores, starting with a letter)."));
                    return false;
                }
                if (_options.ObjectType != null && !ObjectTypes.SameType(declared, _options.ObjectType) && !ObjectTypes.SameType(declared, ObjectTypes.Singular(_options.ObjectType)))
                {
                    return false; // -ObjectType selects records of that type from files that say their type
                }
                // One string for the type of every record of a file rather than the parser's copy per record.
                if (known) declared = _lastValidType!;
                else _lastValidType = declared;
                record.ObjectType = declared;
            }
            else
            {
                var inferred = _options.ObjectType ?? context.FileType ?? ObjectTypes.FromSalesforceId(RecordValue.ToScalarText(record["Id"]));
                if (inferred == null)
                {
                    if (!context.ReportedNoType)
                    {
                        context.ReportedNoType = true;
                        Report(RecordIssue(RecordIssueKind.ObjectTypeUnknown, context, record,
                            "the object type of the records cannot be told: the file does not say it, its name is not an object's (Lead.csv) and the ids are not Salesforce ids of a known object. Pass -ObjectType; this and every later record without a type are skipped."));
                    }
                    return false;
                }
                if (!ObjectTypes.IsValidName(inferred))
                {
                    if (!context.ReportedNoType)
                    {
                        context.ReportedNoType = true;
                        Report(RecordIssue(RecordIssueKind.ObjectTypeUnknown, context, record, $"unknown object type '{inferred}': an object type is an API name (letters, digits and underscores, starting with a letter)."));
                    }
                    return false;
                }
                record.ObjectType = ObjectTypes.Canonical(inferred);
            }

            // Id: of a scalar type; present on every record once the file gives ids; unique in the call.
            var idField = record.IdField ?? "Id";
            var hasIdField = record.TryGet(idField, out var idValue);
            if (hasIdField && idValue != null && RecordValue.ToScalarText(idValue) == null && !(idValue is string))
            {
                Report(RecordIssue(RecordIssueKind.WrongValueType, context, record, $"{idField} must be text or a number, not {Describe(idValue)}."));
                return false;
            }
            var realId = hasIdField ? RecordValue.ToScalarText(idValue) : null;
            if (context.HasIds == null)
            {
                context.HasIds = realId != null;
            }
            else if (context.HasIds == true && realId == null)
            {
                Report(RecordIssue(RecordIssueKind.MissingId, context, record, $"the record has no {idField}, while the file's records have ids; it is skipped."));
                return false;
            }
            if (realId != null && _options.CheckDuplicateIds)
            {
                var type = record.ObjectType ?? string.Empty;
                // Records of a file mostly share one type: skip the lookup by type name when it is the last one's.
                var seen = string.Equals(type, _lastSeenType, StringComparison.Ordinal) ? _lastSeen : null;
                if (seen == null)
                {
                    if (!_idsSeen.TryGetValue(type, out seen)) _idsSeen[type] = seen = new SeenIds();
                    _lastSeen = seen;
                    _lastSeenType = type;
                }
                if (context.FileIndex < 0)
                {
                    context.FileIndex = _fileNames.Count;
                    _fileNames.Add(context.Path);
                }
                if (!seen.TryAdd(realId, ((long)context.FileIndex << 40) | (record.SourceRecordNumber & 0xFFFFFFFFFFL), out var first))
                {
                    var firstSeen = $"{_fileNames[(int)(first >> 40)]} record {first & 0xFFFFFFFFFFL}";
                    Report(RecordIssue(RecordIssueKind.DuplicateId, context, record, $"duplicate Id {realId}: {record.ObjectType} {realId} was already read at {firstSeen}; this copy is skipped."));
                    return false;
                }
            }
            return true;
        }

        // The field names of the last record found unique: records of a file mostly have the same fields in the same order
        // (the CSV header gives the very same strings), so most records are checked against it with ordinal compares
        // (a reference check first) instead of hashing every name.
        private string[] _uniqueShape = Array.Empty<string>();
        private readonly HashSet<string> _fieldNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        private bool HasUniqueFields(CrmRecord record, out string duplicate)
        {
            duplicate = string.Empty;
            var count = record.Count;
            if (count == _uniqueShape.Length)
            {
                var same = true;
                for (var i = 0; i < count; i++)
                {
                    if (!string.Equals(record.NameAt(i), _uniqueShape[i]))
                    {
                        same = false;
                        break;
                    }
                }
                if (same) return true;
            }
            _fieldNames.Clear();
            for (var i = 0; i < count; i++)
            {
                var name = record.NameAt(i);
                if (_fieldNames.Add(name)) continue;
                string? first = null;
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(record.NameAt(j), name, StringComparison.OrdinalIgnoreCase))
                    {
                        first = record.NameAt(j);
                        break;
                    }
                }
                duplicate = string.Equals(first, name, StringComparison.Ordinal) ? $"'{name}' twice" : $"'{first}' and '{name}'";
                return false;
            }
            var shape = new string[count];
            for (var i = 0; i < count; i++) shape[i] = record.NameAt(i);
            _uniqueShape = shape;
            return true;
        }

        private static string Describe(object? value) => value switch
        {
            JObject _ => "an object",
            JArray _ => "an array",
            bool _ => "a boolean",
            null => "null",
            _ => value.GetType().Name,
        };

        private void Report(RecordIssue issue) => _onIssue(issue);

        private static RecordIssueException Issue(RecordIssueKind kind, FileContext context, string message, long line = 0, long column = 0) =>
            new RecordIssueException(new RecordIssue(kind, context.Path, message, line, column, context.RecordNumber));

        private static RecordIssue RecordIssue(RecordIssueKind kind, FileContext context, CrmRecord record, string message, bool warning = false) =>
            new RecordIssue(kind, context.Path, message, record.SourceLine, 0, record.SourceRecordNumber, warning);

        /// <summary>The issue for a stop by the text guard: a NUL character (a NUL byte or an undecodable byte) or a value beyond the cap.</summary>
        private RecordIssue GuardIssue(FileContext context, TextGuardException ex, long line = 0)
        {
            var recordNumber = context.InRecord ? context.RecordNumber : context.RecordNumber + 1;
            var before = $"{context.RecordNumber} record(s) were read before reading of this file stopped here";
            if (ex.Kind == RecordIssueKind.ValueTooLong)
            {
                var at = line > 0 ? line : context.RowLine?.Invoke() ?? context.Line;
                return new RecordIssue(RecordIssueKind.ValueTooLong, context.Path,
                    $"{ex.Message}: the file is not a CRM export, or holds a value too large to read; {before}.", at, 0, recordNumber);
            }
            if (context.IsUtf8)
            {
                var (badLine, badColumn, badByte) = Utf8Check.FindFirstInvalidOrNul(context.Path);
                if (badByte == 0 || context.HeadHasNul)
                {
                    return new RecordIssue(RecordIssueKind.BinaryContent, context.Path,
                        $"the file holds NUL bytes{(badByte == 0 ? string.Empty : " and bytes that are not valid UTF-8")}: it is binary (or was zero-filled by a crash), not text; {before}.",
                        Math.Max(badLine, 1), badColumn, recordNumber);
                }
                var bytes = badByte > 0 ? $" (byte 0x{badByte:X2})" : string.Empty;
                return new RecordIssue(RecordIssueKind.InvalidEncoding, context.Path,
                    $"the text is not valid UTF-8{bytes}. If the file came from Excel or Data Loader on Windows, pass -Encoding windows1252; {before}.",
                    Math.Max(badLine, 1), badColumn, recordNumber);
            }
            var (nulLine, nulColumn) = Utf8Check.FindFirstNulChar(context.Path, context.Encoding, context.BomLength);
            return new RecordIssue(context.HeadHasNul ? RecordIssueKind.BinaryContent : RecordIssueKind.InvalidEncoding, context.Path,
                $"the file holds a NUL character or bytes that are not valid {context.EncodingName}: {(context.HeadHasNul ? "it is binary, not text" : "the file is damaged or in another encoding")}; {before}.",
                Math.Max(nulLine, 1), nulColumn, recordNumber);
        }

        /// <summary>A file that exists but cannot be read on: locked by another program, or an I/O error.</summary>
        private static RecordIssue ReadFailure(FileContext context, IOException ex)
        {
            var before = context.RecordNumber > 0 ? $" ({context.RecordNumber} record(s) were read before)" : string.Empty;
            if (IsLocked(ex))
            {
                return new RecordIssue(RecordIssueKind.FileLocked, context.Path,
                    $"the file is locked by another program (close it there, e.g. in Excel, and run again): {ex.Message}{before}", context.Line);
            }
            return new RecordIssue(RecordIssueKind.FileUnreadable, context.Path, $"cannot be read: {ex.Message}{before}", context.Line);
        }

        /// <summary>A sharing or lock violation: Windows ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION; on Unix .NET's advisory lock (EWOULDBLOCK).</summary>
        internal static bool IsLocked(IOException ex)
        {
            var hr = ex.HResult;
            if ((hr & 0xFFFF0000) == 0x80070000 && ((hr & 0xFFFF) == 32 || (hr & 0xFFFF) == 33)) return true;
            if (hr == 11 || hr == 35) return true; // EAGAIN / EWOULDBLOCK on Linux, macOS
            return ex.Message.IndexOf("being used by another process", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static RecordIssue EncodingIssue(FileContext context, DecoderFallbackException ex, long line = 0)
        {
            // The decoder works a buffer ahead of the parser, so find the first bad byte's own line and column.
            var (badLine, badColumn, badByte) = Utf8Check.FindFirstInvalid(context.Path);
            var bytes = badByte >= 0 ? $" (byte 0x{badByte:X2})" : ex.BytesUnknown == null ? string.Empty : " (" + string.Join(" ", ex.BytesUnknown.Select(b => "0x" + b.ToString("X2"))) + ")";
            return new RecordIssue(RecordIssueKind.InvalidEncoding, context.Path,
                $"the text is not valid UTF-8{bytes}. If the file came from Excel or Data Loader on Windows, pass -Encoding windows1252; {context.RecordNumber} record(s) were read before reading of this file stopped.",
                badLine > 0 ? badLine : line > 0 ? line : Math.Max(context.Line, 1), badColumn, 0);
        }

        private static string CleanJsonMessage(JsonReaderException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
            if (cut < 0) cut = message.IndexOf(", line ", StringComparison.Ordinal);
            if (cut > 0) message = message.Substring(0, cut);
            message = message.TrimEnd('.');
            // Newtonsoft quotes the character it stumbled on as it is: a NUL or other control character would go raw
            // into the error message (and the console).
            var clean = new StringBuilder(message.Length);
            foreach (var c in message)
            {
                if (c < ' ' || c == '\u007F') clean.Append("U+").Append(((int)c).ToString("X4"));
                else clean.Append(c);
            }
            return clean.ToString();
        }

        private static RecordIssue JsonIssue(FileContext context, JsonReaderException ex)
        {
            var message = CleanJsonMessage(ex);
            var truncated = message.IndexOf("end of input", StringComparison.OrdinalIgnoreCase) >= 0 ||
                            message.IndexOf("Unexpected end", StringComparison.OrdinalIgnoreCase) >= 0 ||
                            message.IndexOf("Unterminated", StringComparison.OrdinalIgnoreCase) >= 0;
            var kind = truncated ? RecordIssueKind.TruncatedJson : RecordIssueKind.MalformedJson;
            var what = truncated ? "the JSON ends before its last value is complete (truncated file?)" : "the JSON is not well formed";
            return new RecordIssue(kind, context.Path, $"{what}: {message}. Records before this point were read; reading of this file stopped here.",
                ex.LineNumber, ex.LinePosition, context.InRecord ? context.RecordNumber : context.RecordNumber + 1);
        }

        // ------------------------------------------------------------------ reference resolution

        private void ResolveReferences(List<CrmRecord> records)
        {
            var byRef = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                var refId = r.ReferenceId;
                if (refId != null && !byRef.ContainsKey(refId)) byRef.Add(refId, r);
            }
            foreach (var r in records)
            {
                for (var i = 0; i < r.Count; i++)
                {
                    if (!(r.ValueAt(i) is string s) || s.Length < 2 || s[0] != '@') continue;
                    var name = r.NameAt(i);
                    if (!IsLookupName(name)) continue;
                    if (byRef.TryGetValue(s.Substring(1), out var target))
                    {
                        r.Set(name, target.Id);
                    }
                    else
                    {
                        Report(new RecordIssue(RecordIssueKind.UnresolvedReference, r.SourceFile ?? "?", $"{name} = {s} names no record read in this import (import the file that holds {s.Substring(1)} in the same call); the value is kept as it is.", r.SourceLine, 0, r.SourceRecordNumber));
                    }
                }
            }
        }

        private static bool IsLookupName(string name) =>
            name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);
    }
}

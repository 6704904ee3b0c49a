using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Keys
{
    /// <summary>One record LeadTools created offline and the id Salesforce gave it on insert.</summary>
    public sealed class InsertedId
    {
        /// <summary>Creates a pair.</summary>
        public InsertedId(string provisionalId, string salesforceId, string? objectType, string source)
        {
            ProvisionalId = provisionalId;
            SalesforceId = salesforceId;
            ObjectType = objectType;
            Source = source;
        }

        /// <summary>The provisional id (<c>003LT…</c>) the insert file carried.</summary>
        public string ProvisionalId { get; }
        /// <summary>The id Salesforce assigned.</summary>
        public string SalesforceId { get; }
        /// <summary>The object type, when the result says it (or the id prefix does).</summary>
        public string? ObjectType { get; }
        /// <summary>Where the pair was read (file and line, or "parameters").</summary>
        public string Source { get; }
    }

    /// <summary>
    /// Reads what Salesforce answered to the inserts of a LeadTools change folder: a Data Loader success file (<c>ID</c>,
    /// the columns sent, <c>STATUS</c>; the insert files carry the provisional id in <see cref="ProvisionalIdColumn"/>
    /// because Data Loader writes the new id over the file's own <c>Id</c> column), a Bulk API 2.0 <c>successfulResults</c>
    /// file (<c>sf__Id</c>, <c>sf__Created</c>, the columns sent), or the JSON of <c>sf data import tree --json</c>
    /// (<c>result: [{refId, type, id}]</c>; the tree files use the provisional id as <c>referenceId</c>).
    /// </summary>
    public static class InsertedIds
    {
        /// <summary>The column of the insert files that carries the provisional id through to the success file.</summary>
        public const string ProvisionalIdColumn = "LeadTools_ProvisionalId";

        private static readonly string[] NewIdColumns = { "sf__Id", "ID" };

        /// <summary>Reads one result file; every row that cannot be used goes to <paramref name="onIssue"/> (file, line, why) and the rest are read.</summary>
        public static List<InsertedId> Read(string path, Action<RecordIssue> onIssue)
        {
            var result = new List<InsertedId>();
            if (!File.Exists(path))
            {
                onIssue(new RecordIssue(RecordIssueKind.FileNotFound, path, "The insert result file does not exist."));
                return result;
            }
            string text;
            try
            {
                text = File.ReadAllText(path, new UTF8Encoding(false, true));
            }
            catch (DecoderFallbackException)
            {
                onIssue(new RecordIssue(RecordIssueKind.InvalidEncoding, path, "The insert result file is not valid UTF-8; Data Loader and the sf CLI write UTF-8."));
                return result;
            }
            var start = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (start.Length == 0)
            {
                onIssue(new RecordIssue(RecordIssueKind.EmptyFile, path, "The insert result file is empty."));
                return result;
            }
            if (start[0] == '{' || start[0] == '[') ReadTreeResult(path, text, result, onIssue);
            else ReadCsv(path, text, result, onIssue);
            return result;
        }

        private static void ReadTreeResult(string path, string text, List<InsertedId> result, Action<RecordIssue> onIssue)
        {
            JToken root;
            try
            {
                root = JToken.Parse(text);
            }
            catch (JsonReaderException ex)
            {
                onIssue(new RecordIssue(RecordIssueKind.MalformedJson, path, ex.Message, ex.LineNumber, ex.LinePosition));
                return;
            }
            var rows = root as JArray ?? root["result"] as JArray ?? (root["result"] as JObject)?["records"] as JArray;
            if (rows == null)
            {
                var status = root["status"];
                onIssue(new RecordIssue(status != null && status.Type == JTokenType.Integer && (int)status != 0 ? RecordIssueKind.ApiErrorResponse : RecordIssueKind.BadHeader, path,
                    status != null && status.Type == JTokenType.Integer && (int)status != 0
                        ? $"The sf CLI reports a failure (status {(int)status}): {(string?)root["message"] ?? "no message"}; nothing was inserted."
                        : "Not an sf data import tree result: expected {\"status\":0,\"result\":[{\"refId\":...,\"type\":...,\"id\":...}]}.", 1));
                return;
            }
            foreach (var row in rows)
            {
                var line = ((IJsonLineInfo)row).LineNumber;
                var refId = (string?)row["refId"] ?? (string?)row["referenceId"];
                var id = (string?)row["id"] ?? (string?)row["Id"];
                var type = (string?)row["type"];
                if (string.IsNullOrWhiteSpace(refId) || string.IsNullOrWhiteSpace(id))
                {
                    onIssue(new RecordIssue(RecordIssueKind.MissingId, path, "A result without refId or id: skipped.", line));
                    continue;
                }
                if (!AlternateKeyStore.LooksProvisional(refId))
                {
                    onIssue(new RecordIssue(RecordIssueKind.WrongValueType, path, $"The refId '{refId}' is not a LeadTools provisional id (the tree file was not written by this LeadTools, or by hand): skipped.", line, isWarning: true));
                    continue;
                }
                result.Add(new InsertedId(refId!.Trim(), id!.Trim(), type ?? ObjectTypes.FromSalesforceId(id), $"{path}:{line}"));
            }
        }

        private static void ReadCsv(string path, string text, List<InsertedId> result, Action<RecordIssue> onIssue)
        {
            using var reader = new StringReader(text.TrimStart('\uFEFF'));
            var header = reader.ReadLine() ?? string.Empty;
            var names = new List<string>();
            var csv = new CsvParser(new StringReader(header + "\n"), CsvParser.DetectDelimiter(header));
            csv.ReadRow(names);
            int Column(params string[] candidates) => CsvParser.FindColumn(names, candidates);
            var idCol = Column(NewIdColumns);
            var provisionalCol = Column(ProvisionalIdColumn);
            var errorCol = Column("sf__Error", "ERROR", "Error");
            var successCol = Column("Success", "sf__Success");
            if (idCol < 0)
            {
                onIssue(new RecordIssue(RecordIssueKind.BadHeader, path,
                    $"A success file needs the new Salesforce id (column ID from Data Loader, sf__Id from the Bulk API); the header has {string.Join(", ", names)}.", 1));
                return;
            }
            var rows = new CsvParser(reader, csv.Delimiter);
            var row = new List<string>();
            while (rows.ReadRow(row))
            {
                var line = rows.RowLine + 1;
                if (rows.UnterminatedQuote)
                {
                    onIssue(new RecordIssue(RecordIssueKind.MalformedCsv, path, "A quoted field is never closed; the rows from here on were not read.", line));
                    break;
                }
                if (row.Count == 1 && row[0].Trim().Length == 0) continue;
                if (row.Count != names.Count)
                {
                    onIssue(new RecordIssue(RecordIssueKind.RaggedRow, path, $"The row has {row.Count} fields; the header has {names.Count}. Skipped.", line));
                    continue;
                }
                string Cell(int i) => i >= 0 && i < row.Count ? row[i].Trim() : string.Empty;
                var error = Cell(errorCol);
                if (error.Length > 0 || Cell(successCol).Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    onIssue(new RecordIssue(RecordIssueKind.WrongValueType, path, $"This insert failed in Salesforce ({(error.Length > 0 ? error : "Success false")}): nothing to re-key.", line, isWarning: true));
                    continue;
                }
                var id = Cell(idCol);
                var provisional = Cell(provisionalCol);
                if (provisional.Length == 0 && id.Length >= 3)
                {
                    // A file whose provisional column was renamed: the one cell holding a provisional id of the same object (key prefix).
                    var prefix = id.Substring(0, 3);
                    var candidates = row.Select(c => c.Trim()).Where(c => AlternateKeyStore.LooksProvisional(c) && c.StartsWith(prefix, StringComparison.Ordinal)).Distinct().ToList();
                    if (candidates.Count == 1) provisional = candidates[0];
                }
                if (id.Length == 0 || provisional.Length == 0)
                {
                    onIssue(new RecordIssue(RecordIssueKind.MissingId, path, id.Length == 0
                        ? "The row has no new Salesforce id: skipped."
                        : $"The row has no provisional id (column {ProvisionalIdColumn}, written by Convert-LeadRecord's insert files): skipped.", line));
                    continue;
                }
                if (!AlternateKeyStore.LooksProvisional(provisional))
                {
                    onIssue(new RecordIssue(RecordIssueKind.WrongValueType, path, $"'{provisional}' in {ProvisionalIdColumn} is not a LeadTools provisional id: skipped.", line));
                    continue;
                }
                result.Add(new InsertedId(provisional, id, ObjectTypes.FromSalesforceId(id), $"{path}:{line}"));
            }
        }
    }
}

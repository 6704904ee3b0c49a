using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Import;
using LeadTools.Core.Records;

namespace LeadTools.Core.Sync
{
    /// <summary>A local record and the Salesforce record it is the same as.</summary>
    public sealed class SyncLink
    {
        /// <summary>Creates a link.</summary>
        public SyncLink(string objectType, string localId, string salesforceId)
        {
            ObjectType = objectType;
            LocalId = localId;
            SalesforceId = salesforceId;
        }

        /// <summary>The object type (Lead, Contact, Campaign, ...).</summary>
        public string ObjectType { get; }
        /// <summary>The local record's id.</summary>
        public string LocalId { get; }
        /// <summary>The Salesforce record's id.</summary>
        public string SalesforceId { get; }

        /// <inheritdoc />
        public override string ToString() => $"{ObjectType} {LocalId} = {SalesforceId}";
    }

    /// <summary>
    /// Reads the result files Salesforce writes for the pushed inserts of a sync (Data Loader success files: <c>ID</c>,
    /// <c>STATUS</c>, the columns sent; Bulk API 2.0 <c>successfulResults</c>: <c>sf__Id</c>, <c>sf__Created</c>, ...;
    /// Bulk API 1.0: <c>Id</c>, <c>Success</c>, <c>Created</c>, <c>Error</c>) into links: the new Salesforce id and the
    /// local id the push sent in the external id column (<see cref="SyncProfile.ExternalIdField"/>). The object type comes
    /// from the Salesforce id's key prefix (00Q Lead, 003 Contact, 701 Campaign, ...), else from the file name
    /// (<c>Lead-insert-success.csv</c>). Rows that failed, or lack either id, are reported as issues and skipped.
    /// </summary>
    public static class SyncInsertResults
    {
        private static readonly string[] IdColumns = { "sf__Id", "ID", "Id" };

        /// <summary>Reads one result file; <paramref name="onIssue"/> gets every row that is skipped (file, line, why).</summary>
        public static List<SyncLink> Read(string path, string externalIdField, Action<RecordIssue> onIssue)
        {
            var links = new List<SyncLink>();
            if (!File.Exists(path))
            {
                onIssue(new RecordIssue(RecordIssueKind.FileNotFound, path, "The insert result file does not exist."));
                return links;
            }
            using var text = new StreamReader(path, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
            var header = text.ReadLine();
            if (string.IsNullOrWhiteSpace(header))
            {
                onIssue(new RecordIssue(RecordIssueKind.EmptyFile, path, "The insert result file is empty."));
                return links;
            }
            var csv = new CsvParser(new StringReader(header + "\n"), CsvParser.DetectDelimiter(header!));
            var names = new List<string>();
            csv.ReadRow(names);
            int Column(params string[] candidates) => CsvParser.FindColumn(names, candidates);
            var idCol = Column(IdColumns);
            var extCol = Column(externalIdField);
            if (idCol < 0 || extCol < 0)
            {
                onIssue(new RecordIssue(RecordIssueKind.BadHeader, path,
                    $"An insert result file needs the new Salesforce id (a column {string.Join(", ", IdColumns)}) and the local id in '{externalIdField}' (the external id the sync sent); the header has {string.Join(", ", names)}.", 1));
                return links;
            }
            var successCol = Column("Success", "sf__Success");
            var errorCol = Column("sf__Error", "ERROR", "Error");
            var stem = Path.GetFileNameWithoutExtension(path);
            var cut = stem.IndexOfAny(new[] { '-', '_', '.' });
            var fileType = ObjectTypes.FromFileName(stem) ?? (cut > 0 ? ObjectTypes.FromFileName(stem.Substring(0, cut)) : null);
            var rows = new CsvParser(text, csv.Delimiter);
            var row = new List<string>();
            while (rows.ReadRow(row))
            {
                var line = rows.RowLine + 1;
                if (rows.UnterminatedQuote)
                {
                    onIssue(new RecordIssue(RecordIssueKind.MalformedCsv, path, "A quoted field is never closed.", line));
                    break;
                }
                string Cell(int i) => i >= 0 && i < row.Count ? row[i].Trim() : "";
                if (row.Count != names.Count)
                {
                    onIssue(new RecordIssue(RecordIssueKind.RaggedRow, path, $"The row has {row.Count} fields; the header has {names.Count}. Skipped.", line));
                    continue;
                }
                var error = Cell(errorCol);
                var success = Cell(successCol);
                if (error.Length > 0 || success.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    onIssue(new RecordIssue(RecordIssueKind.WrongValueType, path, $"The insert of local record '{Cell(extCol)}' failed in Salesforce ({(error.Length > 0 ? error : "Success false")}): not linked.", line, isWarning: true));
                    continue;
                }
                var sfId = Cell(idCol);
                var localId = Cell(extCol);
                if (sfId.Length == 0 || localId.Length == 0)
                {
                    onIssue(new RecordIssue(RecordIssueKind.MissingId, path, sfId.Length == 0 ? "The row has no Salesforce id: not linked." : $"The row has no local id in '{externalIdField}': not linked.", line));
                    continue;
                }
                var type = ObjectTypes.FromSalesforceId(sfId) ?? fileType;
                if (type == null)
                {
                    onIssue(new RecordIssue(RecordIssueKind.ObjectTypeUnknown, path, $"Neither the id '{sfId}' nor the file name tells the object type: not linked. Name the file after the object (Lead-insert-success.csv).", line));
                    continue;
                }
                links.Add(new SyncLink(type, localId, sfId));
            }
            return links;
        }
    }
}

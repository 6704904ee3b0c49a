using System;
using System.Text;

namespace LeadTools.Core.Import
{
    /// <summary>What went wrong with an input file or record. The names are the PowerShell ErrorIds.</summary>
    public enum RecordIssueKind
    {
        /// <summary>The file does not exist or cannot be opened.</summary>
        FileNotFound,
        /// <summary>The file is empty (or only white space).</summary>
        EmptyFile,
        /// <summary>The JSON is not well formed.</summary>
        MalformedJson,
        /// <summary>The JSON ends before its last value is complete.</summary>
        TruncatedJson,
        /// <summary>The bytes are not valid in the file's encoding.</summary>
        InvalidEncoding,
        /// <summary>A CSV quoted field is never closed.</summary>
        MalformedCsv,
        /// <summary>A CSV row has more or fewer fields than the header.</summary>
        RaggedRow,
        /// <summary>A CSV header is empty or names a column twice.</summary>
        BadHeader,
        /// <summary>A record has no Id where its file gives ids.</summary>
        MissingId,
        /// <summary>The same Id was read twice.</summary>
        DuplicateId,
        /// <summary>The object type cannot be told or is not a valid name.</summary>
        ObjectTypeUnknown,
        /// <summary>A value has the wrong JSON type (a record that is not an object, an Id that is an object...).</summary>
        WrongValueType,
        /// <summary>Nesting deeper than the limit.</summary>
        NestingTooDeep,
        /// <summary>A tree-file @reference names no record.</summary>
        UnresolvedReference,
        /// <summary>The file holds an error response from the CRM's API rather than records.</summary>
        ApiErrorResponse,
        /// <summary>The file's shape is not one LeadTools reads.</summary>
        UnrecognisedFormat,
        /// <summary>The file is one page of a larger result (a warning).</summary>
        IncompletePage,
        /// <summary>The file holds NUL bytes: binary content (or a file zero-filled by a crash), not text.</summary>
        BinaryContent,
        /// <summary>One value, JSON Lines line or CSV row is longer than <see cref="ImportOptions.MaxValueLength"/>.</summary>
        ValueTooLong,
        /// <summary>A CSV's last row has no line end: the file may have been cut inside its last field (a warning).</summary>
        TruncatedCsv,
        /// <summary>A JSON record names the same field twice (compared case-insensitively, as fields are matched).</summary>
        DuplicateField,
        /// <summary>The file exists but cannot be read (permissions, an I/O error).</summary>
        FileUnreadable,
        /// <summary>The file is locked by another program.</summary>
        FileLocked,
        /// <summary>CSV values carry a spreadsheet's formula-escaping apostrophe ('=..., '-...): a copy meant for a spreadsheet (a warning).</summary>
        SpreadsheetEscapedValues,
    }

    /// <summary>A problem found while reading: the file, the position and what is wrong.</summary>
    public sealed class RecordIssue
    {
        /// <summary>Creates an issue.</summary>
        public RecordIssue(RecordIssueKind kind, string file, string message, long line = 0, long column = 0, long recordNumber = 0, bool isWarning = false)
        {
            Kind = kind;
            File = file;
            Message = message;
            Line = line;
            Column = column;
            RecordNumber = recordNumber;
            IsWarning = isWarning;
        }

        /// <summary>What kind of problem.</summary>
        public RecordIssueKind Kind { get; }
        /// <summary>The file path.</summary>
        public string File { get; }
        /// <summary>1-based line, 0 when not known.</summary>
        public long Line { get; }
        /// <summary>1-based column, 0 when not known.</summary>
        public long Column { get; }
        /// <summary>1-based record number within the file, 0 when the problem is not about one record.</summary>
        public long RecordNumber { get; }
        /// <summary>What is wrong, in words.</summary>
        public string Message { get; }
        /// <summary>True for warnings (the records were read; something is worth knowing).</summary>
        public bool IsWarning { get; }

        /// <summary>"file: line L, column C, record N: message".</summary>
        public override string ToString()
        {
            var sb = new StringBuilder(File);
            var parts = 0;
            void Part(string s)
            {
                sb.Append(parts++ == 0 ? ": " : ", ").Append(s);
            }
            if (Line > 0) Part("line " + Line);
            if (Column > 0) Part("column " + Column);
            if (RecordNumber > 0) Part("record " + RecordNumber);
            sb.Append(": ").Append(Message);
            return sb.ToString();
        }
    }

    /// <summary>Thrown inside a reader to stop reading one file; carries the issue to report.</summary>
    internal sealed class RecordIssueException : Exception
    {
        public RecordIssueException(RecordIssue issue) : base(issue.ToString()) => Issue = issue;
        public RecordIssue Issue { get; }
    }
}

using System;
using System.IO;
using System.Management.Automation;
using LeadTools.Core.Import;

namespace LeadTools.PowerShell
{
    /// <summary>ErrorRecords for LeadTools problems: the ErrorId is the issue kind, the target object the issue (file, line, column, record).</summary>
    internal static class Errors
    {
        public static ErrorRecord FromIssue(RecordIssue issue)
        {
            Exception exception = issue.Kind == RecordIssueKind.FileNotFound
                ? new FileNotFoundException(issue.ToString(), issue.File)
                : issue.Kind == RecordIssueKind.FileLocked || issue.Kind == RecordIssueKind.FileUnreadable
                    ? new IOException(issue.ToString())
                    : new InvalidDataException(issue.ToString());
            return new ErrorRecord(exception, issue.Kind.ToString(), CategoryOf(issue.Kind), issue);
        }

        public static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target) =>
            new ErrorRecord(exception, errorId, category, target);

        private static ErrorCategory CategoryOf(RecordIssueKind kind)
        {
            switch (kind)
            {
                case RecordIssueKind.FileNotFound: return ErrorCategory.ObjectNotFound;
                case RecordIssueKind.MalformedJson:
                case RecordIssueKind.TruncatedJson:
                case RecordIssueKind.MalformedCsv:
                case RecordIssueKind.NestingTooDeep:
                    return ErrorCategory.ParserError;
                case RecordIssueKind.DuplicateId: return ErrorCategory.ResourceExists;
                case RecordIssueKind.WrongValueType: return ErrorCategory.InvalidType;
                case RecordIssueKind.UnresolvedReference: return ErrorCategory.ObjectNotFound;
                case RecordIssueKind.ApiErrorResponse: return ErrorCategory.InvalidResult;
                case RecordIssueKind.FileLocked: return ErrorCategory.ResourceBusy;
                case RecordIssueKind.FileUnreadable: return ErrorCategory.ReadError;
                case RecordIssueKind.ValueTooLong: return ErrorCategory.LimitsExceeded;
                default: return ErrorCategory.InvalidData;
            }
        }
    }
}

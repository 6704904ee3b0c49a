using System.Collections.Generic;

namespace LeadTools.Bench
{
    /// <summary>The workload names (as printed, and as given to --only and --workload) and what each measures.</summary>
    internal static class Workloads
    {
        public const string Generate = "generate";
        public const string TokenScan = "token-scan";
        public const string CoreImport = "core-import";
        public const string PsImportForEach = "ps-import-foreach";
        public const string PsImportAssign = "ps-import-assign";
        public const string PsImportAssignCompact = "ps-import-assign-compact";
        public const string PsImportNull = "ps-import-null";
        public const string CoreProfile = "core-import-profile";
        public const string PsExport = "ps-export-bulk";
        public const string CoreExport = "core-export-bulk";
        public const string CoreGroupByEmail = "core-group-email";
        public const string Python = "python-group-email";
        public const string Jq = "jq-group-email";
        public const string GenerateCsv = "generate-csv";
        public const string CoreImportCsv = "core-import-csv";
        public const string CoreGroupByEmailCsv = "core-group-email-csv";
        public const string PythonCsv = "python-group-email-csv";
        public const string CoreConvert = "core-convert";
        public const string PsFindDuplicates = "ps-find-duplicates";
        public const string CoreMerge = "core-merge";
        public const string SyncPrepare = "sync-prepare";
        public const string CoreSync = "core-sync";
        public const string PsSync = "ps-sync";

        /// <summary>In run order, with a one-line description.</summary>
        public static readonly IReadOnlyList<(string Name, string What)> All = new[]
        {
            (TokenScan, "floor: bare Newtonsoft JsonTextReader token scan of the file (while (reader.Read()) {})"),
            (CoreImport, "(a) import parse through Core: RecordReader over the file, counting records"),
            (PsImportNull, "(c) Import-CrmRecord -Path f | Out-Null (records become PSObjects, no script per record)"),
            (PsImportForEach, "(c) Import-CrmRecord -Path f | ForEach-Object { $n++ } in the hosted PowerShell engine"),
            (PsImportAssign, "(c) $leads = Import-CrmRecord -Path f; $leads.Count in the hosted PowerShell engine; notes the managed memory held per lead"),
            (PsImportAssignCompact, "(c) $leads = Import-CrmRecord -Path f -Compact; $leads.Count: records held compactly; target: held memory per lead <= 2x its bytes in the file, 1M under 2 GB and within 2x of the streaming import"),
            (PsExport, "(d) Export-CrmRecord -SourcePath in.json -Path out.csv (bulk route, no PSObjects)"),
            (CoreExport, "(d) the same bulk route through Core alone: RecordReader -> RecordWriter (CSV)"),
            (CoreGroupByEmail, "(e) like-for-like with the peers through Core: read, trim+lower Email, group, count groups > 1"),
            (CoreProfile, "(profile, with --profile) the import in stages: scan, strict decoding, record building, RecordReader checks"),
            (PsFindDuplicates, "Find-CrmDuplicate -Path f (default strategy SafeMerge since issue 16, bulk route) in the hosted PowerShell engine; target 1M under 30 s and 2 GB"),
            (CoreConvert, "convert every lead (new contact, account, opportunity) with key-store updates and save (Convert-LeadRecord's route); target 1M under 20 s"),
            (CoreMerge, "merge the truth file's duplicate clusters with campaign members, funnel rules, journal and key store (Merge-CrmRecord's route); target 100k groups under 20 s"),
            (CoreSync, "sync two snapshots of the leads (local and Salesforce, 1% changed) with the previous state: read both, run every SPEC 7 step, write the change files, save the state (Sync-CrmRecord's route); target 1M + 1M under 20 s"),
            (PsSync, "Sync-CrmRecord -LocalPath -SalesforcePath -StatePath -ChangeFolder on the same snapshots in the hosted PowerShell engine"),
            (CoreImportCsv, "the same leads as a Data Loader CSV file (written once by the generator): RecordReader over it, counting records"),
            (CoreGroupByEmailCsv, "like-for-like with the CSV peer through Core: read the CSV, trim+lower Email, group, count groups > 1"),
            (Python, "(e) peer: bench/peers/group_by_email.py (Python standard library, json.load)"),
            (PythonCsv, "(e) peer on the CSV file: bench/peers/group_by_email_csv.py (Python standard library, csv.DictReader)"),
            (Jq, "(e) peer: jq -f bench/peers/group_by_email.jq"),
        };
    }
}

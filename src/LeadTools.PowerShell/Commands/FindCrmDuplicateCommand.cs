using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using LeadTools.Core.Import;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Finds groups of duplicate records (leads, contacts, across lead and contact) with a matching strategy, with the rule and score of each matched pair and a suggested survivor.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "CrmDuplicate", DefaultParameterSetName = InputSet)]
    [OutputType(typeof(CrmDuplicateGroup))]
    public sealed class FindCrmDuplicateCommand : MatchCommandBase
    {
        /// <summary>Creates the cmdlet: its default strategy is SafeMerge, the one safest to merge on.</summary>
        public FindCrmDuplicateCommand() => Strategy = SafeDefaultStrategy;

        private const string InputSet = "InputObject";
        private const string PathSet = "Path";

        private readonly List<CrmRecord> _records = new List<CrmRecord>();
        private readonly List<PSObject> _originals = new List<PSObject>();
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private HashSet<string>? _types;
        private long _seen;

        /// <summary>The records to compare (records from Import-CrmRecord, PSCustomObjects or hashtables).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Export files to read and compare without PowerShell objects per record (the bulk route); wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Only records of these object types are compared (Lead, Contact, ...); with -Path and one type, also the type of records whose file does not say it.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ObjectTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? ObjectType { get; set; }

        /// <summary>Compare records of different object types too (a lead with a contact); by default only records of the same type are compared.</summary>
        [Parameter]
        public SwitchParameter AcrossTypes { get; set; }

        /// <summary>Groups of more members than this get a warning naming them (check before merging; Merge-CrmRecord refuses groups over its own -MaxGroupSize, default 10, without -Force). Default 50.</summary>
        [Parameter]
        [ValidateRange(2, int.MaxValue)]
        public int MaxGroupSize { get; set; } = 50;

        /// <summary>With -Strategy Probabilistic: a pair matches when its match probability reaches this (0-1, exclusive); default 0.99.</summary>
        [Parameter]
        [ValidateRange(0.000001, 0.999999)]
        public double MatchProbability { get; set; } = 0.99;

        /// <summary>Resolves the strategy once.</summary>
        protected override void BeginProcessing()
        {
            ResolveStrategy();
            if (MatchStrategy.Probabilistic != null) MatchStrategy.Probabilistic.MatchProbability = MatchProbability;
            if (ObjectType != null) _types = new HashSet<string>(ObjectType, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Collects pipeline records (matching needs them all before it can group).</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName != InputSet) return;
            foreach (var item in InputObject)
            {
                _seen++;
                var record = RecordConversion.ToRecord(item, null);
                if (record == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Input {_seen} is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                if (!Wanted(record)) continue;
                _records.Add(record);
                _originals.Add(item);
            }
        }

        /// <summary>Reads the files (bulk route), finds the groups and writes them.</summary>
        protected override void EndProcessing()
        {
            var finder = new DuplicateFinder(MatchStrategy) { SameTypeOnly = !AcrossTypes.IsPresent, Cancellation = _cancel.Token, RetainRecords = ParameterSetName == InputSet, MaxGroupSize = MaxGroupSize };
            var progress = new ProgressRecord(3, "Find-CrmDuplicate", "Normalising and blocking records");
            void Report(long n)
            {
                if (n == 0) return;
                progress.StatusDescription = $"{n:N0} records normalised";
                WriteProgress(progress);
            }
            IReadOnlyList<DuplicateGroup> groups;
            // Background (concurrent) collection lets the heap of a million-record run grow far past what it holds
            // (2.8 GB against 1.7 GB measured): batch mode for the run, the session's own mode restored after.
            var latency = System.Runtime.GCSettings.LatencyMode;
            try
            {
                System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
                groups = ParameterSetName == PathSet ? finder.Find(ReadFiles(), Report) : finder.Find(_records, Report);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                System.Runtime.GCSettings.LatencyMode = latency;
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            foreach (var cut in finder.Stats.CutBlocks)
            {
                WriteWarning($"Block {cut} is larger than {finder.MaxBlockSize} records: only its first {finder.MaxBlockSize} were compared with each other.");
            }
            foreach (var id in finder.Stats.OversizedGroups)
            {
                var g = groups[id - 1];
                var ids = string.Join(", ", g.Members.Take(5).Select((r, i) => r.Id ?? "#" + (g.MemberIndexes[i] + 1)));
                WriteWarning($"Group {id} has {g.Count} members, more than -MaxGroupSize {MaxGroupSize} (first: {ids}{(g.Count > 5 ? ", ..." : string.Empty)}): a group this large is usually different people joined through weak pairs; check it before merging (Merge-CrmRecord refuses it without -Force).");
            }
            WriteVerbose($"Strategy {MatchStrategy.Name}: {finder.Stats.Records:N0} records, {finder.Stats.Comparisons:N0} pairs compared, {groups.Count:N0} groups"
                + (finder.Stats.SplitGroups > 0 ? $"; {finder.Stats.SplitGroups:N0} chained groups held records that must not be linked and were split" : string.Empty) + ".");
            if (finder.Model != null) WriteVerbose("Probabilistic model: " + finder.Model.Summary());
            WriteVerbose("Time by stage: " + string.Join(", ", finder.Stats.Stages.Select(s => $"{s.Key} {s.Value.TotalSeconds:N1} s"))
                + $" (indexing kept the second thread busy {finder.Stats.IndexingBusy.TotalSeconds:N1} s; reading waited for it {finder.Stats.ReaderWaited.TotalSeconds:N1} s).");
            foreach (var g in groups)
            {
                WriteObject(new CrmDuplicateGroup(g, MatchStrategy.Name, ParameterSetName == InputSet ? _originals : null));
            }
        }

        /// <summary>Stops a long run.</summary>
        protected override void StopProcessing() => _cancel.Cancel();

        private bool Wanted(CrmRecord record) => _types == null || (record.ObjectType != null && _types.Contains(record.ObjectType));

        private IEnumerable<CrmRecord> ReadFiles()
        {
            // Records go straight from the reader into the finder: no PSObject per record.
            // The same record read twice is simply an exact duplicate here, so ids are not remembered (a million of them).
            var options = new ImportOptions { ObjectType = ObjectType != null && ObjectType.Length == 1 ? ObjectType[0] : null, CheckDuplicateIds = false };
            var reader = new RecordReader(options, issue =>
            {
                if (issue.IsWarning) WriteWarning(issue.ToString());
                else WriteError(Errors.FromIssue(issue));
            });
            foreach (var p in Path)
            {
                List<string> files;
                try
                {
                    files = GetResolvedProviderPathFromPSPath(p, out _).ToList();
                }
                catch (ItemNotFoundException)
                {
                    WriteError(Errors.FromIssue(new RecordIssue(RecordIssueKind.FileNotFound, GetUnresolvedProviderPathFromPSPath(p), "the file does not exist.")));
                    continue;
                }
                files.Sort(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    foreach (var record in reader.ReadFile(file))
                    {
                        if (Wanted(record)) yield return record;
                    }
                }
            }
        }
    }

    /// <summary>A group of duplicate records found by Find-CrmDuplicate.</summary>
    public sealed class CrmDuplicateGroup
    {
        private readonly DuplicateGroup _group;
        private readonly IReadOnlyList<PSObject>? _originals;
        private PSObject[]? _members;

        internal CrmDuplicateGroup(DuplicateGroup group, string strategy, IReadOnlyList<PSObject>? originals)
        {
            _group = group;
            _originals = originals;
            Strategy = strategy;
            GroupId = group.GroupId;
            Count = group.Count;
            SuggestedSurvivorId = group.SuggestedSurvivorId;
            MemberIds = group.Members.Select((r, i) => r.Id ?? "#" + (group.MemberIndexes[i] + 1)).ToArray();
            ObjectTypes = string.Join(", ", group.Members.Select(r => r.ObjectType ?? "?").Distinct(StringComparer.OrdinalIgnoreCase));
            Score = group.MinScore;
            Rules = group.Rules;
            Pairs = group.Pairs.ToArray();
        }

        /// <summary>1-based number of the group in the run.</summary>
        public int GroupId { get; }
        /// <summary>The strategy that matched.</summary>
        public string Strategy { get; }
        /// <summary>Number of records in the group.</summary>
        public int Count { get; }
        /// <summary>The suggested survivor: oldest CreatedDate/createdon, then most filled fields, then smallest id.</summary>
        public string? SuggestedSurvivorId { get; }
        /// <summary>The members' ids, in input order (#n for a record without an id: its position in the input).</summary>
        public string[] MemberIds { get; }
        /// <summary>The members' object types (Lead, Contact).</summary>
        public string ObjectTypes { get; }
        /// <summary>The lowest score of the pairs that joined the group (0-100).</summary>
        public double Score { get; }
        /// <summary>The rules that matched, comma-separated.</summary>
        public string Rules { get; }
        /// <summary>The matched pairs (A, B, Score, Rule) that joined the group.</summary>
        public DuplicatePair[] Pairs { get; }

        /// <summary>The member records: the objects given on the pipeline, or records read by -Path (made on first use).</summary>
        public PSObject[] Members => _members ??= _originals != null
            ? _group.MemberIndexes.Select(i => _originals[i]).ToArray()
            : _group.Members.Select(RecordConversion.ToPSObject).ToArray();

        /// <summary>The suggested survivor's record.</summary>
        public PSObject? Survivor => SurvivorIndex < 0 ? null : Members[SurvivorIndex];

        /// <summary>The other members: the records to merge into the survivor.</summary>
        public PSObject[] Duplicates => Members.Where((m, i) => i != SurvivorIndex).ToArray();

        private int SurvivorIndex => SuggestedSurvivorId == null ? -1 : Array.IndexOf(MemberIds, SuggestedSurvivorId);
    }
}

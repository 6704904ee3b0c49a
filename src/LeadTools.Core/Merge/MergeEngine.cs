using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Funnel;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Merge
{
    /// <summary>One group of records of one person to merge.</summary>
    public sealed class MergeGroup
    {
        /// <summary>Creates a group.</summary>
        public MergeGroup(IEnumerable<CrmRecord> records, string? survivorId = null, string? groupId = null)
        {
            Records = records.ToList();
            SurvivorId = string.IsNullOrWhiteSpace(survivorId) ? null : survivorId;
            GroupId = groupId;
        }

        /// <summary>The records (two or more).</summary>
        public List<CrmRecord> Records { get; }
        /// <summary>The survivor chosen by the admin, or null to apply the survivor rules.</summary>
        public string? SurvivorId { get; }
        /// <summary>A label for the group (from Find-CrmDuplicate or the groups file).</summary>
        public string? GroupId { get; }
        /// <summary>The status the admin picked (default: the survivor's).</summary>
        public string? SelectedStatus { get; set; }
    }

    /// <summary>Why a group cannot be merged; <see cref="ErrorId"/> is the PowerShell ErrorId.</summary>
    public sealed class MergeException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public MergeException(string errorId, string message) : base(message) => ErrorId = errorId;
        /// <summary>GroupTooSmall, MissingId, MixedObjectTypes, UnknownSurvivor, RecordInTwoGroups, ConversionMergeNotSupported.</summary>
        public string ErrorId { get; }
    }

    /// <summary>What one merge did.</summary>
    public sealed class MergeResult
    {
        /// <summary>The group label.</summary>
        public string? GroupId { get; internal set; }
        /// <summary>The object type merged.</summary>
        public string ObjectType { get; internal set; } = string.Empty;
        /// <summary>The survivor (master) after the merge.</summary>
        public CrmRecord Survivor { get; internal set; } = null!;
        /// <summary>How the survivor was chosen.</summary>
        public string SurvivorReason { get; internal set; } = string.Empty;
        /// <summary>The deleted records, with MasterRecordId and IsDeleted set.</summary>
        public List<CrmRecord> Deleted { get; } = new List<CrmRecord>();
        /// <summary>Field to the id of the record its surviving value came from (fields whose value changed).</summary>
        public Dictionary<string, string> FieldProvenance { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Child records re-parented to the survivor (updated copies).</summary>
        public List<CrmRecord> ChildrenMoved { get; } = new List<CrmRecord>();
        /// <summary>Campaign members destroyed (same campaign); their full records are in the journal.</summary>
        public List<CrmRecord> MembershipsDestroyed { get; } = new List<CrmRecord>();
        /// <summary>Opportunities updated with the archive of an opportunity-linked membership.</summary>
        public List<CrmRecord> OpportunitiesArchived { get; } = new List<CrmRecord>();
        /// <summary>Memberships re-inserted (in the system campaign).</summary>
        public List<CrmRecord> MembershipsReinserted { get; } = new List<CrmRecord>();
        /// <summary>The funnel outcome (row, surviving status, responses resolved...).</summary>
        public FunnelOutcome Funnel { get; internal set; } = null!;
        /// <summary>True when a funnel configuration was applied to statuses and responses.</summary>
        public bool FunnelApplied { get; internal set; }
        /// <summary>The journal entry: before-images of every record changed or deleted.</summary>
        public JournalEntry Journal { get; internal set; } = null!;

        /// <summary>The ids of the deleted records.</summary>
        public IEnumerable<string> DeletedIds => Deleted.Select(d => d.Id!);
    }

    /// <summary>How to merge.</summary>
    public sealed class MergeOptions
    {
        /// <summary>Survivor and field rules.</summary>
        public MergeRules Rules { get; set; } = new MergeRules();
        /// <summary>The funnel configuration; null leaves statuses and responses alone (memberships are still de-duplicated).</summary>
        public FunnelConfig? Funnel { get; set; }
        /// <summary>The user doing the merge runs in passive mode (seed 001).</summary>
        public bool PassiveUser { get; set; }
        /// <summary>The time recorded in the journal and key store.</summary>
        public DateTime Now { get; set; } = DateTime.UtcNow;
        /// <summary>The journal run id.</summary>
        public string RunId { get; set; } = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
    }

    /// <summary>
    /// Merges groups of same-type records (SPEC 5.1, 5.2, 5.3): survivor by rules, field survivorship, losers
    /// deleted with MasterRecordId, children re-parented, campaign memberships de-duplicated (destroyed ones kept in the
    /// journal, opportunity-linked ones archived and re-inserted), the funnel outcome applied, the key store updated,
    /// and a journal entry with full before-images so <see cref="MergeJournal.Undo"/> can restore everything.
    /// </summary>
    public sealed class MergeEngine
    {
        private readonly MergeOptions _options;
        private readonly AlternateKeyStore? _keys;
        private readonly FunnelAnalyzer _analyzer;
        private readonly Dictionary<string, List<CrmRecord>> _byReference = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
        private readonly Dictionary<string, CrmRecord> _opportunities = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
        private readonly HashSet<string> _merged = new HashSet<string>(StringComparer.Ordinal);
        private int _sequence;

        /// <summary>Creates an engine; <paramref name="keys"/> is updated with every merge.</summary>
        public MergeEngine(MergeOptions options, AlternateKeyStore? keys)
        {
            _options = options;
            _keys = keys;
            _analyzer = new FunnelAnalyzer(options.Funnel ?? FunnelConfig.Example());
        }

        /// <summary>Children (campaign members, tasks, events, contact roles, email results...), opportunities and campaigns.</summary>
        public void AddRelated(CrmRecord record)
        {
            _analyzer.AddContext(record);
            if (ObjectTypes.SameType(record.ObjectType, "Opportunity") && record.Id != null) _opportunities[record.Id] = record;
            for (var i = 0; i < record.Count; i++)
            {
                var name = record.NameAt(i);
                if (string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) || !IsReferenceField(name) || !(record.ValueAt(i) is string value) || value.Length == 0) continue;
                if (!_byReference.TryGetValue(value, out var list)) _byReference[value] = list = new List<CrmRecord>();
                if (list.Count == 0 || !ReferenceEquals(list[list.Count - 1], record)) list.Add(record);
            }
        }

        private static bool IsReferenceField(string name) =>
            name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);

        /// <summary>Merges one group.</summary>
        public MergeResult Merge(MergeGroup group)
        {
            if (group.Records.Count < 2) throw new MergeException("GroupTooSmall", $"Group {group.GroupId ?? "?"} has {group.Records.Count} record(s); a merge needs two or more.");
            if (group.Records.Any(r => r.Id == null)) throw new MergeException("MissingId", $"Group {group.GroupId ?? "?"} holds a record without an Id.");
            var type = group.Records[0].ObjectType;
            if (group.Records.Any(r => !ObjectTypes.SameType(r.ObjectType, type)))
            {
                var types = string.Join(", ", group.Records.Select(r => r.ObjectType).Distinct());
                var conversion = group.Records.Any(r => ObjectTypes.SameType(r.ObjectType, "Contact")) && group.Records.All(r => ObjectTypes.SameType(r.ObjectType, "Contact") || ObjectTypes.SameType(r.ObjectType, "Lead"));
                throw new MergeException(conversion ? "ConversionMergeNotSupported" : "MixedObjectTypes", conversion
                    ? $"Group {group.GroupId ?? "?"} mixes leads and contacts ({types}): merge the leads into the contact with Convert-LeadRecord -ContactId (conversion merge), after the same-type merges."
                    : $"Group {group.GroupId ?? "?"} mixes object types ({types}); a merge takes records of one type.");
            }
            var duplicateIds = group.Records.GroupBy(r => r.Id!, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicateIds != null) throw new MergeException("RecordInTwoGroups", $"Record {duplicateIds.Key} appears twice in group {group.GroupId ?? "?"}.");
            foreach (var r in group.Records)
            {
                if (_merged.Contains(r.Id!)) throw new MergeException("RecordInTwoGroups", $"Record {r.Id} was already merged in this run (it is in two groups); group {group.GroupId ?? "?"} is skipped.");
            }
            string survivorReason;
            CrmRecord survivor;
            if (group.SurvivorId != null)
            {
                survivor = group.Records.FirstOrDefault(r => string.Equals(r.Id, group.SurvivorId, StringComparison.Ordinal))
                    ?? throw new MergeException("UnknownSurvivor", $"Survivor {group.SurvivorId} is not in group {group.GroupId ?? "?"} ({string.Join(", ", group.Records.Select(r => r.Id))}).");
                survivorReason = $"{survivor.Id} chosen explicitly.";
            }
            else
            {
                (survivor, survivorReason) = ChooseSurvivor(group.Records);
            }
            var losers = group.Records.Where(r => !ReferenceEquals(r, survivor)).ToList();
            var ordered = new[] { survivor }.Concat(losers).ToList();

            var entry = new JournalEntry(_options.RunId + ":" + (++_sequence).ToString(CultureInfo.InvariantCulture), group.GroupId, survivor.Id!, _options.Now);
            var result = new MergeResult { GroupId = group.GroupId, ObjectType = ObjectTypes.Canonical(type ?? "Record"), SurvivorReason = survivorReason, Journal = entry };
            foreach (var r in ordered) entry.Before.Add(r.Clone());

            // Fields.
            var merged = survivor.Clone();
            foreach (var name in ordered.SelectMany(r => r.Names).Distinct(StringComparer.OrdinalIgnoreCase).ToList())
            {
                if (string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase)) continue;
                var (value, from) = Survive(name, ordered, survivor);
                if (from != null && !string.Equals(from, survivor.Id, StringComparison.Ordinal))
                {
                    merged.Set(name, value);
                    result.FieldProvenance[name] = from;
                }
            }

            // Campaign members and the funnel.
            var memberIds = new HashSet<string>(ordered.Select(r => r.Id!), StringComparer.Ordinal);
            var members = memberIds.SelectMany(id => _byReference.TryGetValue(id, out var l) ? l : new List<CrmRecord>())
                .Where(c => ObjectTypes.SameType(c.ObjectType, "CampaignMember")).Distinct().ToList();
            var funnel = new MergeOutcomeEngine(_analyzer, _options.PassiveUser).Decide(merged, losers, members, group.SelectedStatus);
            result.Funnel = funnel;
            result.FunnelApplied = _options.Funnel != null;
            var statusField = _analyzer.Config.StatusFieldOf(result.ObjectType);
            if (result.FunnelApplied && funnel.SurvivingStatus != null && !Equals(merged[statusField], funnel.SurvivingStatus))
            {
                merged.Set(statusField, funnel.SurvivingStatus);
            }
            var destroyed = new HashSet<string>(funnel.DestroyedMemberships.Select(d => d.MemberId), StringComparer.Ordinal);
            var recovery = MembershipRecovery.Apply(funnel, _analyzer.Config, members, _opportunities, memberIds, survivor.Id!, conversion: false, entry);
            result.MembershipsDestroyed.AddRange(recovery.Destroyed);
            result.OpportunitiesArchived.AddRange(recovery.OpportunitiesArchived);
            result.MembershipsReinserted.AddRange(recovery.Reinserted);
            var resolved = result.FunnelApplied ? funnel.ResolvedResponses.ToDictionary(r => r.MemberId, r => r.NewStatus, StringComparer.Ordinal) : new Dictionary<string, string>();

            // Children: everything that refers to a loser now refers to the survivor.
            var loserIds = new HashSet<string>(losers.Select(l => l.Id!), StringComparer.Ordinal);
            var children = loserIds.SelectMany(id => _byReference.TryGetValue(id, out var l) ? l : new List<CrmRecord>())
                .Concat(members.Where(m => resolved.ContainsKey(m.Id ?? string.Empty)))
                .Distinct().Where(c => !destroyed.Contains(c.Id ?? string.Empty)).ToList();
            foreach (var child in children)
            {
                var moved = child.Clone();
                var changed = Reparent(moved, loserIds, survivor.Id!);
                if (child.Id != null && resolved.TryGetValue(child.Id, out var newStatus))
                {
                    moved.Set(_analyzer.Config.ResponseStatusField, newStatus);
                    changed = true;
                }
                if (!changed) continue;
                entry.Before.Add(child.Clone());
                result.ChildrenMoved.Add(moved);
            }

            // Losers.
            foreach (var loser in losers)
            {
                var deleted = loser.Clone();
                deleted.Set("MasterRecordId", survivor.Id);
                deleted.Set("IsDeleted", true);
                result.Deleted.Add(deleted);
                entry.Deleted.Add(loser.Id!);
                _merged.Add(loser.Id!);
            }
            _merged.Add(survivor.Id!);
            result.Survivor = merged;

            // The key store, with its before-images for undo.
            if (_keys != null)
            {
                // The ids and their current roots: a link changes the root's entry, which undo must put back too.
                var keyIds = new List<string>();
                foreach (var id in ordered.Select(r => r.Id!))
                {
                    if (!keyIds.Contains(id)) keyIds.Add(id);
                    var root = _keys.Find(id) != null ? _keys.Resolve(id) : null;
                    if (root != null && !keyIds.Contains(root)) keyIds.Add(root);
                }
                foreach (var id in keyIds) entry.Keys.Add(KeySnapshot.Of(_keys, id));
                foreach (var loser in losers) _keys.Merge(loser.Id!, survivor.Id!, result.ObjectType, _options.Now);
                foreach (var id in keyIds) entry.KeysAfter.Add(KeySnapshot.Of(_keys, id));
            }
            return result;
        }

        private static bool Reparent(CrmRecord record, HashSet<string> from, string to) => MembershipRecovery.Reparent(record, from, to);

        private (object? Value, string? From) Survive(string field, List<CrmRecord> ordered, CrmRecord survivor)
        {
            var rule = _options.Rules.RuleFor(field);
            var own = survivor[field];
            var candidates = ordered.Where(r => r.Has(field) && !RecordValue.IsBlank(r[field])).ToList();
            switch (rule)
            {
                case FieldRule.KeepSurvivor:
                    return (own, survivor.Id);
                case FieldRule.FillBlanks:
                    if (!RecordValue.IsBlank(own) || candidates.Count == 0) return (own, survivor.Id);
                    return (candidates[0][field], candidates[0].Id);
                case FieldRule.Newest:
                case FieldRule.Oldest:
                    if (candidates.Count == 0) return (own, survivor.Id);
                    var byDate = candidates.OrderBy(r => r.GetString(rule == FieldRule.Newest ? "LastModifiedDate" : "CreatedDate") ?? "\uffff", StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
                    var pick = rule == FieldRule.Newest ? byDate.OrderByDescending(r => r.GetString("LastModifiedDate") ?? string.Empty, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).First() : byDate[0];
                    return (pick[field], pick.Id);
                case FieldRule.Largest:
                case FieldRule.Smallest:
                    if (candidates.Count == 0) return (own, survivor.Id);
                    var sorted = candidates.OrderBy(r => r[field], Comparer<object?>.Create(MergeRules.CompareValues)).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
                    var chosen = rule == FieldRule.Largest ? sorted[sorted.Count - 1] : sorted[0];
                    return RecordValue.ToText(chosen[field]) == RecordValue.ToText(own) ? (own, survivor.Id) : (chosen[field], chosen.Id);
                case FieldRule.Union:
                    var values = new List<string>();
                    string? from = survivor.Id;
                    foreach (var r in ordered)
                    {
                        foreach (var v in (r.GetString(field) ?? string.Empty).Split(';').Select(x => x.Trim()).Where(x => x.Length > 0))
                        {
                            if (values.Contains(v, StringComparer.OrdinalIgnoreCase)) continue;
                            values.Add(v);
                            if (!ReferenceEquals(r, survivor)) from = r.Id;
                        }
                    }
                    var union = string.Join(";", values);
                    return union == (survivor.GetString(field) ?? string.Empty) ? (own, survivor.Id) : (union.Length == 0 ? null : union, from);
                default:
                    return (own, survivor.Id);
            }
        }

        /// <summary>The survivor the rules choose among <paramref name="records"/>, and why (as <see cref="Merge"/> chooses it).</summary>
        public (CrmRecord Survivor, string Reason) SelectSurvivor(IReadOnlyList<CrmRecord> records) => ChooseSurvivor(records.ToList());

        private (CrmRecord, string) ChooseSurvivor(List<CrmRecord> records)
        {
            IEnumerable<CrmRecord> pool = records;
            var reasons = new List<string>();
            foreach (var rule in _options.Rules.SurvivorRules)
            {
                var list = pool.ToList();
                if (list.Count == 1) break;
                List<CrmRecord> best;
                switch (rule.Kind)
                {
                    case "OldestCreated":
                        var oldest = list.Where(r => r.GetString("CreatedDate") != null).Select(r => r.GetString("CreatedDate")!).OrderBy(d => d, StringComparer.Ordinal).FirstOrDefault();
                        best = oldest == null ? list : list.Where(r => r.GetString("CreatedDate") == oldest).ToList();
                        break;
                    case "NewestModified":
                        var newest = list.Where(r => r.GetString("LastModifiedDate") != null).Select(r => r.GetString("LastModifiedDate")!).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault();
                        best = newest == null ? list : list.Where(r => r.GetString("LastModifiedDate") == newest).ToList();
                        break;
                    case "MostComplete":
                        var most = list.Max(Completeness);
                        best = list.Where(r => Completeness(r) == most).ToList();
                        break;
                    case "HasActiveResponse":
                        var withResponse = list.Where(r => _analyzer.Analyze(r, r.Id != null && _byReference.TryGetValue(r.Id, out var l) ? l.Where(c => ObjectTypes.SameType(c.ObjectType, "CampaignMember")) : Enumerable.Empty<CrmRecord>()).ActiveResponse != null).ToList();
                        best = withResponse.Count > 0 ? withResponse : list;
                        break;
                    case "RecordType":
                    case "FieldValue":
                        var matching = list.Where(r => string.Equals(r.GetString(rule.Field!), rule.Value, StringComparison.OrdinalIgnoreCase)).ToList();
                        best = matching.Count > 0 ? matching : list;
                        break;
                    default:
                        best = list;
                        break;
                }
                if (best.Count < list.Count) reasons.Add(rule.ToString());
                pool = best;
            }
            var final = pool.OrderBy(r => r.Id, StringComparer.Ordinal).First();
            var reason = reasons.Count > 0 ? $"{final.Id} chosen by {string.Join(", then ", reasons)}" : $"{final.Id} chosen by the tie-break (smallest id)";
            if (pool.Count() > 1) reason += reasons.Count > 0 ? ", then the smallest id." : ".";
            else reason += ".";
            return (final, reason);
        }

        private static int Completeness(CrmRecord r) => r.Count(f => !RecordValue.IsBlank(f.Value));
    }
}

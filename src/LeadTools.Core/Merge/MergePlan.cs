using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LeadTools.Core.Funnel;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Merge
{
    /// <summary>One Salesforce merge request: a master and at most two records merged into it, with the winning values.</summary>
    public sealed class MergeRequest
    {
        internal MergeRequest(int order, int batch, int number, string? groupId, string kind, string objectType, string masterId, IReadOnlyList<string> mergeIds, IReadOnlyDictionary<string, object?> masterFields, IReadOnlyList<string>? membershipsDestroyed = null)
        {
            MembershipsDestroyed = membershipsDestroyed ?? Array.Empty<string>();
            Order = order;
            Batch = batch;
            Number = number;
            GroupId = groupId;
            Kind = kind;
            ObjectType = objectType;
            MasterId = masterId;
            MergeIds = mergeIds;
            MasterFields = masterFields;
        }

        /// <summary>1 for same-type merges, 2 for conversion merges (run after).</summary>
        public int Order { get; }
        /// <summary>The API call it belongs to (at most 200 requests per call).</summary>
        public int Batch { get; }
        /// <summary>Its number in the plan.</summary>
        public int Number { get; }
        /// <summary>The group.</summary>
        public string? GroupId { get; }
        /// <summary>Merge (same type) or ConvertLead (a lead into a contact).</summary>
        public string Kind { get; }
        /// <summary>The object type.</summary>
        public string ObjectType { get; }
        /// <summary>The master (survivor) record.</summary>
        public string MasterId { get; }
        /// <summary>The records merged into it (at most two), or the lead converted into it.</summary>
        public IReadOnlyList<string> MergeIds { get; }
        /// <summary>Winning field values to write onto the master (the merge API has no per-field choice).</summary>
        public IReadOnlyDictionary<string, object?> MasterFields { get; }
        /// <summary>
        /// Campaign members this group's merge would destroy (on the group's first request): members of the same campaign,
        /// which Salesforce deletes without a trace. Their full records are in <c>0-memberships-destroyed.csv</c>.
        /// </summary>
        public IReadOnlyList<string> MembershipsDestroyed { get; }
    }

    /// <summary>A record whose active status is stale: deactivate it before merging (seed 001's recommendation).</summary>
    public sealed class StaleStatus
    {
        internal StaleStatus(CrmRecord record, string status, string? since, string deactivateTo, string statusField = "Status", string sinceField = "LastModifiedDate")
        {
            StatusField = statusField;
            SinceField = sinceField;
            Id = record.Id!;
            ObjectType = record.ObjectType ?? "Lead";
            Status = status;
            Since = since;
            DeactivateTo = deactivateTo;
        }

        /// <summary>The record.</summary>
        public string Id { get; }
        /// <summary>Its object type.</summary>
        public string ObjectType { get; }
        /// <summary>Its active status.</summary>
        public string Status { get; }
        /// <summary>When its status was set (<see cref="SinceField"/>).</summary>
        public string? Since { get; }
        /// <summary>The field <see cref="Since"/> came from: the configured status-date field, else LastModifiedDate (which any edit resets).</summary>
        public string SinceField { get; }
        /// <summary>The status field (fields.leadStatus / fields.contactStatus).</summary>
        public string StatusField { get; }
        /// <summary>The inactive status to set first.</summary>
        public string DeactivateTo { get; }
    }

    /// <summary>
    /// The merge plan for a bulk clean-up (SPEC 5.5): same-type merges first, conversion merges after; stale active
    /// statuses to deactivate first; each group split into Salesforce merge requests of a master and at most two others
    /// with the same master, at most 200 per call, carrying the survivor's winning values.
    /// </summary>
    public sealed class MergePlan
    {
        /// <summary>Requests per API call.</summary>
        public const int RequestsPerCall = 200;

        /// <summary>The requests in execution order.</summary>
        public List<MergeRequest> Requests { get; } = new List<MergeRequest>();
        /// <summary>Stale active statuses to deactivate before merging.</summary>
        public List<StaleStatus> Stale { get; } = new List<StaleStatus>();
        /// <summary>Groups that cannot be planned, with why.</summary>
        public List<string> Problems { get; } = new List<string>();
        /// <summary>Campaign members the planned merges would destroy (full records, to keep before running the plan).</summary>
        public List<CrmRecord> DestroyedMemberships { get; } = new List<CrmRecord>();
        /// <summary>What the admin should know (stale statuses judged by LastModifiedDate, opportunities not given).</summary>
        public List<string> Warnings { get; } = new List<string>();

        /// <summary>Builds the plan.</summary>
        public static MergePlan Build(IEnumerable<MergeGroup> groups, MergeOptions options, FunnelConfig? funnel, int staleAfterDays, string deactivateTo, DateTime now, IEnumerable<CrmRecord>? related = null)
        {
            var plan = new MergePlan();
            var relatedList = related?.ToList() ?? new List<CrmRecord>();
            var analyzer = new FunnelAnalyzer(funnel ?? FunnelConfig.Example());
            foreach (var r in relatedList) analyzer.AddContext(r);
            var byLastModified = 0;
            var sameType = new List<(MergeGroup Group, MergeResult Result)>();
            var conversions = new List<(MergeGroup Group, CrmRecord Contact, List<CrmRecord> Leads)>();
            var engine = new MergeEngine(new MergeOptions { Rules = options.Rules, Funnel = funnel, Now = now, RunId = "plan" }, null);
            foreach (var r in relatedList) engine.AddRelated(r);
            var destroyedByGroup = new Dictionary<MergeGroup, List<string>>();
            var cutoff = Response.Date(now.AddDays(-staleAfterDays).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            foreach (var group in groups)
            {
                if (funnel != null)
                {
                    foreach (var r in group.Records)
                    {
                        var type = ObjectTypes.SameType(r.ObjectType, "Contact") ? "Contact" : "Lead";
                        var statusField = funnel.StatusFieldOf(type);
                        var status = funnel.Status(type, r.GetString(statusField));
                        // The status's own change date where the export has it: LastModifiedDate is reset by any edit.
                        var dateField = funnel.StatusDateFieldOf(type);
                        var since = dateField != null ? r.GetString(dateField) : null;
                        var sinceField = dateField ?? "LastModifiedDate";
                        if (since == null)
                        {
                            since = r.GetString("LastModifiedDate");
                            sinceField = "LastModifiedDate";
                        }
                        if (status?.Active == true && since != null && string.CompareOrdinal(Response.Date(since), cutoff) < 0 && plan.Stale.All(s => s.Id != r.Id))
                        {
                            plan.Stale.Add(new StaleStatus(r, status.Value, since, deactivateTo, statusField, sinceField));
                            if (sinceField == "LastModifiedDate") byLastModified++;
                        }
                    }
                }
                var contacts = group.Records.Where(r => ObjectTypes.SameType(r.ObjectType, "Contact")).ToList();
                var leads = group.Records.Where(r => ObjectTypes.SameType(r.ObjectType, "Lead")).ToList();
                if (contacts.Count == 1 && leads.Count > 0 && contacts.Count + leads.Count == group.Records.Count)
                {
                    conversions.Add((group, contacts[0], leads));
                    var ids = new HashSet<string>(group.Records.Select(r => r.Id ?? string.Empty), StringComparer.Ordinal);
                    var members = relatedList.Where(m => ObjectTypes.SameType(m.ObjectType, "CampaignMember") && (ids.Contains(m.GetString("LeadId") ?? string.Empty) || ids.Contains(m.GetString("ContactId") ?? string.Empty))).ToList();
                    try
                    {
                        var outcome = new MergeOutcomeEngine(analyzer).Decide(contacts[0], leads, members);
                        destroyedByGroup[group] = outcome.DestroyedMemberships.Select(d => d.MemberId).ToList();
                        plan.DestroyedMemberships.AddRange(outcome.DestroyedMemberships.Select(d => d.Member));
                    }
                    catch (ArgumentException ex)
                    {
                        plan.Problems.Add($"InvalidMergeGroup: {ex.Message}");
                    }
                    continue;
                }
                try
                {
                    var result = engine.Merge(group);
                    sameType.Add((group, result));
                    destroyedByGroup[group] = result.MembershipsDestroyed.Select(m => m.Id!).ToList();
                    plan.DestroyedMemberships.AddRange(result.MembershipsDestroyed);
                }
                catch (MergeException ex)
                {
                    plan.Problems.Add($"{ex.ErrorId}: {ex.Message}");
                }
            }
            var number = 0;
            foreach (var (group, result) in sameType)
            {
                var masterFields = result.FieldProvenance.Keys.ToDictionary(f => f, f => result.Survivor[f], StringComparer.OrdinalIgnoreCase);
                var losers = result.DeletedIds.ToList();
                for (var i = 0; i < losers.Count; i += 2)
                {
                    number++;
                    // The winning values go with the first request of the group; later ones merge into the same master.
                    plan.Requests.Add(new MergeRequest(1, 0, number, group.GroupId, "Merge", result.ObjectType, result.Survivor.Id!, losers.Skip(i).Take(2).ToList(),
                        i == 0 ? masterFields : new Dictionary<string, object?>(), i == 0 ? destroyedByGroup[group] : null));
                }
            }
            foreach (var (group, contact, leads) in conversions)
            {
                var first = true;
                foreach (var lead in leads)
                {
                    number++;
                    plan.Requests.Add(new MergeRequest(2, 0, number, group.GroupId, "ConvertLead", "Lead", contact.Id!, new[] { lead.Id! }, new Dictionary<string, object?>(),
                        first && destroyedByGroup.TryGetValue(group, out var d) ? d : null));
                    first = false;
                }
            }
            if (byLastModified > 0)
            {
                plan.Warnings.Add($"{byLastModified} stale status(es) were judged by LastModifiedDate, which any edit resets (so a record edited recently for another reason looks fresh): set fields.leadStatusDate / fields.contactStatusDate in the status configuration to the field holding when the status was set, if your export has one.");
            }
            // Batches: at most 200 requests per call, never mixing same-type merges and conversions.
            var batched = new List<MergeRequest>();
            var batch = 0;
            foreach (var order in plan.Requests.GroupBy(r => r.Order))
            {
                var inBatch = RequestsPerCall;
                foreach (var r in order)
                {
                    if (inBatch == RequestsPerCall)
                    {
                        batch++;
                        inBatch = 0;
                    }
                    inBatch++;
                    batched.Add(new MergeRequest(r.Order, batch, r.Number, r.GroupId, r.Kind, r.ObjectType, r.MasterId, r.MergeIds, r.MasterFields, r.MembershipsDestroyed));
                }
            }
            plan.Requests.Clear();
            plan.Requests.AddRange(batched);
            return plan;
        }

        /// <summary>
        /// Writes the plan into a folder: <c>1-deactivate-stale.csv</c> (status updates to run first),
        /// <c>2-merge-requests.json</c> (per call: master record with its winning values and the ids to merge) and
        /// <c>3-convert-leads.csv</c>. Files are written atomically; returns them.
        /// </summary>
        public IReadOnlyList<string> Write(string folder)
        {
            Directory.CreateDirectory(folder);
            var files = new List<string>();
            if (DestroyedMemberships.Count > 0)
            {
                // Salesforce deletes these without a trace (no recycle bin): keep them before running the plan.
                var path = Path.Combine(folder, "0-memberships-destroyed.csv");
                using (var writer = Export.RecordWriter.Create(path, new Export.ExportOptions()))
                {
                    foreach (var m in DestroyedMemberships) writer.Write(m);
                    writer.Complete();
                }
                files.Add(path);
            }
            if (Stale.Count > 0)
            {
                var path = Path.Combine(folder, "1-deactivate-stale.csv");
                using (var writer = Export.RecordWriter.Create(path, new Export.ExportOptions()))
                {
                    foreach (var s in Stale)
                    {
                        var r = new CrmRecord(s.ObjectType);
                        r.Add("Id", s.Id);
                        r.Add(s.StatusField, s.DeactivateTo);
                        writer.Write(r);
                    }
                    writer.Complete();
                }
                files.Add(path);
            }
            var merges = Requests.Where(r => r.Kind == "Merge").ToList();
            if (merges.Count > 0)
            {
                var path = Path.Combine(folder, "2-merge-requests.json");
                var calls = new JArray();
                foreach (var call in merges.GroupBy(r => r.Batch))
                {
                    var requests = new JArray();
                    foreach (var r in call)
                    {
                        var master = new JObject { ["attributes"] = new JObject { ["type"] = r.ObjectType }, ["Id"] = r.MasterId };
                        foreach (var f in r.MasterFields) master[f.Key] = f.Value == null ? JValue.CreateNull() : JToken.FromObject(f.Value is DateTime dt ? RecordValue.FormatDateTime(dt) : f.Value);
                        requests.Add(new JObject { ["masterRecord"] = master, ["recordToMergeIds"] = new JArray(r.MergeIds.Cast<object>().ToArray()), ["group"] = r.GroupId });
                    }
                    calls.Add(new JObject { ["call"] = call.Key, ["requests"] = requests });
                }
                using (var file = new AtomicFileWriter(path))
                {
                    var bytes = new System.Text.UTF8Encoding(false).GetBytes(calls.ToString(Formatting.Indented) + "\n");
                    file.Stream.Write(bytes, 0, bytes.Length);
                    file.Commit();
                }
                files.Add(path);
            }
            var converts = Requests.Where(r => r.Kind == "ConvertLead").ToList();
            if (converts.Count > 0)
            {
                var path = Path.Combine(folder, "3-convert-leads.csv");
                using (var writer = Export.RecordWriter.Create(path, new Export.ExportOptions()))
                {
                    foreach (var c in converts)
                    {
                        var r = new CrmRecord("Lead");
                        r.Add("LeadId", c.MergeIds[0]);
                        r.Add("ContactId", c.MasterId);
                        r.Add("Call", (long)c.Batch);
                        writer.Write(r);
                    }
                    writer.Complete();
                }
                files.Add(path);
            }
            return files;
        }
    }
}

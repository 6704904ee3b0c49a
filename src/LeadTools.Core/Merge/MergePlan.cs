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
        internal MergeRequest(int order, int batch, int number, string? groupId, string kind, string objectType, string masterId, IReadOnlyList<string> mergeIds, IReadOnlyDictionary<string, object?> masterFields)
        {
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
    }

    /// <summary>A record whose active status is stale: deactivate it before merging (seed 001's recommendation).</summary>
    public sealed class StaleStatus
    {
        internal StaleStatus(CrmRecord record, string status, string? since, string deactivateTo)
        {
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
        /// <summary>Its last modification.</summary>
        public string? Since { get; }
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

        /// <summary>Builds the plan.</summary>
        public static MergePlan Build(IEnumerable<MergeGroup> groups, MergeOptions options, FunnelConfig? funnel, int staleAfterDays, string deactivateTo, DateTime now)
        {
            var plan = new MergePlan();
            var sameType = new List<(MergeGroup Group, MergeResult Result)>();
            var conversions = new List<(MergeGroup Group, CrmRecord Contact, List<CrmRecord> Leads)>();
            var engine = new MergeEngine(new MergeOptions { Rules = options.Rules, Funnel = funnel, Now = now, RunId = "plan" }, null);
            var cutoff = now.AddDays(-staleAfterDays).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            foreach (var group in groups)
            {
                if (funnel != null)
                {
                    foreach (var r in group.Records)
                    {
                        var status = funnel.Status(r.ObjectType, r.GetString("Status"));
                        var since = r.GetString("LastModifiedDate");
                        if (status?.Active == true && since != null && string.CompareOrdinal(since, cutoff) < 0 && plan.Stale.All(s => s.Id != r.Id))
                        {
                            plan.Stale.Add(new StaleStatus(r, status.Value, since, deactivateTo));
                        }
                    }
                }
                var contacts = group.Records.Where(r => ObjectTypes.SameType(r.ObjectType, "Contact")).ToList();
                var leads = group.Records.Where(r => ObjectTypes.SameType(r.ObjectType, "Lead")).ToList();
                if (contacts.Count == 1 && leads.Count > 0 && contacts.Count + leads.Count == group.Records.Count)
                {
                    conversions.Add((group, contacts[0], leads));
                    continue;
                }
                try
                {
                    sameType.Add((group, engine.Merge(group)));
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
                        i == 0 ? masterFields : new Dictionary<string, object?>()));
                }
            }
            foreach (var (group, contact, leads) in conversions)
            {
                foreach (var lead in leads)
                {
                    number++;
                    plan.Requests.Add(new MergeRequest(2, 0, number, group.GroupId, "ConvertLead", "Lead", contact.Id!, new[] { lead.Id! }, new Dictionary<string, object?>()));
                }
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
                    batched.Add(new MergeRequest(r.Order, batch, r.Number, r.GroupId, r.Kind, r.ObjectType, r.MasterId, r.MergeIds, r.MasterFields));
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
            if (Stale.Count > 0)
            {
                var path = Path.Combine(folder, "1-deactivate-stale.csv");
                using (var writer = Export.RecordWriter.Create(path, new Export.ExportOptions()))
                {
                    foreach (var s in Stale)
                    {
                        var r = new CrmRecord(s.ObjectType);
                        r.Add("Id", s.Id);
                        r.Add("Status", s.DeactivateTo);
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

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.Core.State;
using LeadTools.Core.Sync;

namespace LeadTools.DataGen
{
    /// <summary>
    /// The sync workload of SPEC 9.5: two snapshots of the same people (a marketing platform's and Salesforce's), made
    /// from the generated leads, with 1% changed since the last sync, and the sync state of the previous run.
    /// </summary>
    public static class SyncWorkloads
    {
        /// <summary>The last sync of the prepared state.</summary>
        public static readonly DateTimeOffset LastSync = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private const string Unchanged = "2025-12-15T08:00:00.000Z";
        private const string Changed = "2026-01-15T09:30:00.000Z";
        private const int Cycle = 400;

        /// <summary>The snapshot and state paths derived from a leads file (beside it).</summary>
        public static (string Local, string Salesforce, string State) PathsFor(string leadsPath)
        {
            var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(leadsPath)) ?? ".", Path.GetFileNameWithoutExtension(leadsPath));
            return (stem + ".sync-local.json", stem + ".sync-salesforce.json", stem + ".sync-state");
        }

        /// <summary>
        /// Writes the two snapshots and the state for <paramref name="count"/> generated leads (seed as the leads file).
        /// Of every 400 people: one was edited locally since the last sync (Title), one in Salesforce (Phone), one is a new
        /// local lead (pushed), one a new Salesforce lead (pulled): 1% changed. Every other person is linked (CrmId locally,
        /// LeadGen_Id__c in Salesforce, and the state's links). One local event per 1,000 people happened since the last
        /// sync. Written to temporary names and renamed when complete. Returns the change counts as text.
        /// </summary>
        public static string Prepare(string leadsPath, int count, int seed, double duplicateRate)
        {
            var (localPath, sfPath, stateFolder) = PathsFor(leadsPath);
            var state = new SyncState();
            foreach (var name in SyncProfile.ObjectNames) state.SetLastSync(name, LastSync);
            long localEdits = 0, sfEdits = 0, pushes = 0, pulls = 0, events = 0;
            var options = new ExportOptions { Format = RecordFormat.JsonArray, ObjectType = "Lead", Indent = true };
            using (var local = RecordWriter.Create(localPath + ".partial", options))
            using (var sf = RecordWriter.Create(sfPath + ".partial", options))
            {
                var eventBuffer = new List<CrmRecord>();
                long i = 0;
                foreach (var lead in CrmDataGenerator.Leads(count, seed, duplicateRate))
                {
                    var k = i % Cycle;
                    var localId = "LG" + i.ToString("D8", CultureInfo.InvariantCulture);
                    var sfId = lead.Id!;
                    var score = (int)(i % 100);
                    if (k != 300)
                    {
                        var l = Person(lead, "Lead", localId);
                        l.Set("LeadScore", score);
                        if (k == 0) l.Set("Title", (lead.GetString("Title") ?? "Manager") + " (promoted)");
                        if (k != 200)
                        {
                            l.Set("CrmId", sfId);
                            state.Link("Lead", localId, sfId);
                        }
                        else
                        {
                            if (string.IsNullOrWhiteSpace(l.GetString("Company"))) l.Set("Company", lead.GetString("LastName") + " Household");
                            if (string.IsNullOrWhiteSpace(l.GetString("Email"))) l.Set("Email", "new" + i.ToString(CultureInfo.InvariantCulture) + "@example.org");
                        }
                        l.Set("ModifiedDate", k == 0 || k == 200 ? Changed : Unchanged);
                        local.Write(l);
                        if (k == 0) localEdits++;
                        if (k == 200) pushes++;
                        if (i % 1000 == 7)
                        {
                            var ev = new CrmRecord("Event", 6);
                            ev.Add("Id", "EV" + i.ToString("D8", CultureInfo.InvariantCulture));
                            ev.Add("LeadId", localId);
                            ev.Add("Object", i % 3000 == 7 ? "EmailOpen" : "PageVisit");
                            ev.Add("Name", "/pricing");
                            ev.Add("EventDate", Changed);
                            eventBuffer.Add(ev);
                            events++;
                        }
                    }
                    if (k != 200)
                    {
                        var s = Person(lead, "Lead", sfId);
                        s.Set("Lead_Score__c", score);
                        if (k == 100) s.Set("Phone", "+1 415 555 " + (i % 10000).ToString("D4", CultureInfo.InvariantCulture));
                        if (k != 300) s.Set("LeadGen_Id__c", localId);
                        s.Set("LastModifiedDate", k == 100 || k == 300 ? Changed : Unchanged);
                        sf.Write(s);
                        if (k == 100) sfEdits++;
                        if (k == 300) pulls++;
                    }
                    i++;
                }
                foreach (var ev in eventBuffer) local.Write(ev);
                local.Complete();
                sf.Complete();
            }
            Directory.CreateDirectory(stateFolder);
            state.Save(Path.Combine(stateFolder, SyncState.FileName));
            Replace(localPath + ".partial", localPath);
            Replace(sfPath + ".partial", sfPath);
            return $"{localEdits:N0} local edits, {sfEdits:N0} Salesforce edits, {pushes:N0} new local leads, {pulls:N0} new Salesforce leads, {events:N0} events";
        }

        private static void Replace(string from, string to)
        {
            if (File.Exists(to)) File.Delete(to);
            File.Move(from, to);
        }

        private static CrmRecord Person(CrmRecord lead, string type, string id)
        {
            var r = new CrmRecord(type, 14);
            r.Add("Id", id);
            foreach (var f in new[] { "FirstName", "LastName", "Email", "Phone", "Company", "Title", "City", "Country", "LeadSource", "Status" })
            {
                if (lead.TryGet(f, out var v)) r.Add(f, v);
            }
            return r;
        }

        /// <summary>
        /// Sync-CrmRecord's route through Core: read both snapshots, run the sync with the state (copied from the prepared
        /// one into <paramref name="stateFolder"/>, locked, saved), write the change files into <paramref name="changeFolder"/>.
        /// Returns the number of changes; <paramref name="localPasses"/> gets how many times the local file was read.
        /// </summary>
        public static int Run(string leadsPath, string stateFolder, string changeFolder, out long localPasses)
        {
            var (localPath, sfPath, _) = PathsFor(leadsPath);
            var local = new SyncSnapshot(localPath, issue => throw new InvalidDataException(issue.ToString()));
            var sf = new SyncSnapshot(sfPath, issue => throw new InvalidDataException(issue.ToString()));
            using var session = SyncStateSession.Open(stateFolder, forWrite: true);
            var result = SyncEngine.Run(local, sf, SyncProfile.Default(), session.State, LastSync.AddDays(31));
            result.WriteChangeFiles(changeFolder);
            session.Save(result.State);
            localPasses = local.Passes;
            return result.Changes.Count;
        }

        /// <summary>Copies the prepared state into a fresh folder (each timed run starts from the same state).</summary>
        public static void CopyState(string leadsPath, string stateFolder)
        {
            Directory.CreateDirectory(stateFolder);
            File.Copy(Path.Combine(PathsFor(leadsPath).State, SyncState.FileName), Path.Combine(stateFolder, SyncState.FileName), true);
        }
    }
}

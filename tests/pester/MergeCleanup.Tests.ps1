# An admin's regression check of a duplicate clean-up: merge the duplicate leads of a small export (leads that
# share an email, with their campaign members and a task) with the team's field rules and the built-in funnel
# configuration, then check the survivors, the deleted ids, the destroyed memberships, the funnel outcome, the
# journal and the change files; and that Undo-CrmMerge gives back exactly the records of the export.
# Pester 5 syntax; runs under Invoke-Pester and the test project's runner.

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force
    $exportPath = [System.IO.Path]::GetFullPath("$PSScriptRoot/data/cleanup-export.json")

    # The team's rules: keep the survivor's values, but fill its blanks and unite the interests.
    $fieldRules = @{ Phone = 'FillBlanks'; Title = 'FillBlanks'; Interests__c = 'Union' }

    # One group per email address that more than one lead has (what Find-CrmDuplicate -Strategy EmailExact would give).
    function Get-EmailGroup($Records) {
        $leads = @($Records | Where-Object { $_.PSObject.TypeNames[0] -eq 'LeadTools.CrmRecord#Lead' })
        $byEmail = [ordered]@{}
        foreach ($lead in $leads) {
            if (-not $byEmail.Contains($lead.Email)) { $byEmail[$lead.Email] = [System.Collections.Generic.List[object]]::new() }
            $byEmail[$lead.Email].Add($lead)
        }
        foreach ($email in $byEmail.Keys) {
            if ($byEmail[$email].Count -gt 1) { [pscustomobject]@{ GroupId = $email; Members = $byEmail[$email].ToArray() } }
        }
    }

    function Find-Record($Records, $Id) { $Records | Where-Object Id -eq $Id }

    # Every field of a record, as text with its type, in order: two records are the same when these are equal.
    function Get-Fields($Record) {
        @($Record.PSObject.Properties | ForEach-Object {
            $type = if ($null -eq $_.Value) { 'null' } else { $_.Value.GetType().Name }
            '{0} [{1}] {2}' -f $_.Name, $type, $_.Value
        })
    }
}

Describe 'Merging the duplicate leads of the export' {
    BeforeAll {
        $state = [System.IO.Path]::Combine($TestDrive, 'state')
        $changes = [System.IO.Path]::Combine($TestDrive, 'changes')
        $configPath = [System.IO.Path]::Combine($TestDrive, 'funnel.json')
        $null = New-FunnelStatusConfig -Path $configPath
        $config = Import-FunnelStatusConfig -Path $configPath
        $export = @(Import-CrmRecord $exportPath)
        $groups = @(Get-EmailGroup $export)
        $results = @($groups | Merge-CrmRecord -RelatedRecord $export -FieldRule $fieldRules -Config $config `
                -StatePath $state -ChangeFolder $changes -Confirm:$false -ErrorVariable mergeErrors -ErrorAction SilentlyContinue)
        $ada = $results | Where-Object GroupId -eq 'ada@example.com'
        $grace = $results | Where-Object GroupId -eq 'grace@example.com'
        $run = $results[0].JournalEntryId.Split(':')[0]
        $journal = [System.IO.Path]::Combine($state, 'journal', "$run.jsonl")
    }

    It 'merges both groups without an error' {
        $groups | Should -HaveCount 2
        $results | Should -HaveCount 2
        $mergeErrors | Should -HaveCount 0
    }

    It 'keeps the oldest lead of <Group> as the survivor' -ForEach @(
        @{ Group = 'ada@example.com'; Survivor = '00Q5e00000Cl01AAAC'; Deleted = '00Q5e00000Cl02AAAC' }
        @{ Group = 'grace@example.com'; Survivor = '00Q5e00000Cl03AAAC'; Deleted = '00Q5e00000Cl04AAAC' }
    ) {
        $result = $results | Where-Object GroupId -eq $Group
        $result.SurvivorId | Should -Be $Survivor
        $result.SurvivorReason | Should -BeLike '*OldestCreated*'
        $result.DeletedIds | Should -Be @($Deleted)
        $result.Deleted[0].MasterRecordId | Should -Be $Survivor
        $result.Deleted[0].IsDeleted | Should -BeTrue
    }

    It 'fills the survivors'' blanks and unites the interests' {
        $ada.Survivor.Phone | Should -Be '+44 20 7946 0001'
        $ada.FieldProvenance['Phone'] | Should -Be '00Q5e00000Cl02AAAC'
        $ada.Survivor.Interests__c | Should -Be 'Webinars;Pricing;Events'
        $ada.Survivor.Email | Should -Be 'ada@example.com'
        $grace.Survivor.Title | Should -Be 'Rear Admiral'
        $grace.Survivor.Phone | Should -Be '+1 202 555 0103'
    }

    It 'keeps one membership per campaign and destroys the other' {
        $ada.MembershipsDestroyed | Should -Be @('00v5e00000Cl02AAAC')
        $grace.MembershipsDestroyed | Should -HaveCount 0
        $ada.MembershipsReinserted | Should -HaveCount 0
    }

    It 'applies the funnel: the oldest active response survives, the other is resolved' {
        $ada.FunnelApplied | Should -BeTrue
        $ada.FunnelRow | Should -Be '5.3-3'
        $ada.Survivor.Status | Should -Be 'Working'
        $ada.ResponsesResolved | Should -HaveCount 1
        $ada.ResponsesResolved[0].MemberId | Should -Be '00v5e00000Cl03AAAC'
        $ada.ResponsesResolved[0].NewStatus | Should -Be $config.ResolvedMerged
        $grace.FunnelRow | Should -Be '5.3-1'
        $grace.Survivor.Status | Should -Be 'Nurture'
    }

    It 'moves the children of the deleted leads to the survivors' {
        $moved = Find-Record $ada.ChildrenMoved '00v5e00000Cl03AAAC'
        $moved.LeadId | Should -Be '00Q5e00000Cl01AAAC'
        $moved.FCRM__FCR_Response_Status__c | Should -Be 'Resolved - Merged'
        (Find-Record $grace.ChildrenMoved '00T5e00000Cl01AAAC').WhoId | Should -Be '00Q5e00000Cl03AAAC'
        (Find-Record $grace.ChildrenMoved '00v5e00000Cl04AAAC').LeadId | Should -Be '00Q5e00000Cl03AAAC'
    }

    It 'leaves the lead without a duplicate alone' {
        $results.SurvivorId | Should -Not -Contain '00Q5e00000Cl05AAAC'
        $results.DeletedIds | Should -Not -Contain '00Q5e00000Cl05AAAC'
        @($results.ChildrenMoved | Where-Object Id -eq '00v5e00000Cl05AAAC') | Should -HaveCount 0
    }

    It 'makes the deleted ids alternate keys of the survivors' {
        (Resolve-ContactKey -Id '00Q5e00000Cl02AAAC' -StatePath $state).ContactKey | Should -Be '00Q5e00000Cl01AAAC'
        (Resolve-ContactKey -Id '00Q5e00000Cl04AAAC' -StatePath $state).ContactKey | Should -Be '00Q5e00000Cl03AAAC'
    }

    It 'journals every merge with the full records from before it' {
        $journal | Should -Exist
        $lines = [System.IO.File]::ReadAllLines($journal)
        # Version 2: a header with the entry count, one line per merge, an end marker (a cut journal is refused).
        $lines | Should -HaveCount 4
        $lines[0] | Should -Match '"schema":"leadtools.mergejournal","version":2'
        $lines[0] | Should -Match '"entries":2'
        $lines[3] | Should -Be '{"end":true,"entries":2}'
        $lines[1] | Should -Match '"survivor":"00Q5e00000Cl01AAAC"'
        $lines[1] | Should -Match '"destroyed":\["00v5e00000Cl02AAAC"\]'
        $lines[1] | Should -Match '"Interests__c":"Pricing;Events"'
        $lines[2] | Should -Match '"deleted":\["00Q5e00000Cl04AAAC"\]'
    }

    It 'writes the change files for the CRM' {
        $deletes = @(Import-CrmRecord ([System.IO.Path]::Combine($changes, 'Lead-delete.csv')))
        @($deletes.Id) | Should -Be @('00Q5e00000Cl02AAAC', '00Q5e00000Cl04AAAC')
        @((Import-CrmRecord ([System.IO.Path]::Combine($changes, 'CampaignMember-delete.csv'))).Id) | Should -Be @('00v5e00000Cl02AAAC')
        $updates = @(Import-CrmRecord ([System.IO.Path]::Combine($changes, 'Lead-update.csv')))
        (Find-Record $updates '00Q5e00000Cl01AAAC').Phone | Should -Be '+44 20 7946 0001'
        [System.IO.Path]::Combine($changes, 'Task-update.csv') | Should -Exist
    }
}

Describe 'Undoing the clean-up' {
    BeforeAll {
        $state = [System.IO.Path]::Combine($TestDrive, 'state')
        $undoChanges = [System.IO.Path]::Combine($TestDrive, 'undo')
        $configPath = [System.IO.Path]::Combine($TestDrive, 'funnel.json')
        $null = New-FunnelStatusConfig -Path $configPath
        $export = @(Import-CrmRecord $exportPath)
        $results = @(Get-EmailGroup $export | Merge-CrmRecord -RelatedRecord $export -FieldRule $fieldRules -Config $configPath -StatePath $state -Confirm:$false)
        $run = $results[0].JournalEntryId.Split(':')[0]
        $restored = @(Undo-CrmMerge -RunId $run -StatePath $state -ChangeFolder $undoChanges -Confirm:$false)
        $touched = @('00Q5e00000Cl01AAAC', '00Q5e00000Cl02AAAC', '00Q5e00000Cl03AAAC', '00Q5e00000Cl04AAAC',
            '00v5e00000Cl02AAAC', '00v5e00000Cl03AAAC', '00v5e00000Cl04AAAC', '00T5e00000Cl01AAAC')
    }

    It 'gives back every record the merges changed or deleted, once' {
        $ids = @($restored.Id)
        $ids | Should -HaveCount $touched.Count
        foreach ($id in $touched) { $ids | Should -Contain $id }
    }

    It 'restores <_> exactly as it was in the export' -ForEach @(
        '00Q5e00000Cl01AAAC', '00Q5e00000Cl02AAAC', '00Q5e00000Cl03AAAC', '00Q5e00000Cl04AAAC',
        '00v5e00000Cl02AAAC', '00v5e00000Cl03AAAC', '00v5e00000Cl04AAAC', '00T5e00000Cl01AAAC'
    ) {
        $original = Find-Record $export $_
        $back = Find-Record $restored $_
        $back.PSObject.TypeNames[0] | Should -Be $original.PSObject.TypeNames[0]
        $fields = Get-Fields $back
        $expected = Get-Fields $original
        $fields | Should -HaveCount $expected.Count
        for ($i = 0; $i -lt $expected.Count; $i++) { $fields[$i] | Should -BeExactly $expected[$i] }
    }

    It 'forgets the alternate keys the merges made' {
        (Resolve-ContactKey -Id '00Q5e00000Cl02AAAC' -StatePath $state).Known | Should -BeFalse
        (Resolve-ContactKey -Id '00Q5e00000Cl04AAAC' -StatePath $state).Known | Should -BeFalse
    }

    It 'writes the change files that undo the merges in the CRM' {
        @((Import-CrmRecord ([System.IO.Path]::Combine($undoChanges, 'Lead-undelete.csv'))).Id) | Should -Be @('00Q5e00000Cl04AAAC', '00Q5e00000Cl02AAAC')
        $inserts = @(Import-CrmRecord ([System.IO.Path]::Combine($undoChanges, 'CampaignMember-insert.csv')) -ObjectType CampaignMember)
        $inserts | Should -HaveCount 1
        $inserts[0].LeadId | Should -Be '00Q5e00000Cl02AAAC'
        $inserts[0].CampaignId | Should -Be '7015e00000Cl01AAAC'
    }

    It 'refuses to undo the same run twice' {
        { Undo-CrmMerge -RunId $run -StatePath $state -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'AlreadyUndone,*'
    }
}

#!/usr/bin/perl
# Writes a small MaxMind DB (GeoIP2-City-like, with ASN keys) for the enrichment
# end-to-end test:  make_mmdb.pl OUT.mmdb
# Needs Debian's libmaxmind-db-writer-perl; exits 77 (skip) without it.
use strict;
use warnings;

eval { require MaxMind::DB::Writer::Tree; 1 } or do {
    print "SKIP: MaxMind::DB::Writer::Tree missing (apt-get install libmaxmind-db-writer-perl)\n";
    exit 77;
};

my $out = shift or die "usage: make_mmdb.pl OUT.mmdb\n";
my %types = (
    country => 'map', iso_code => 'utf8_string', city => 'map', names => 'map', en => 'utf8_string',
    autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6, record_size => 24, database_type => 'wiretop-test-City',
    languages => ['en'], description => { en => 'wiretop test database' },
    map_key_type_callback => sub { $types{ $_[0] } },
);
$tree->insert_network('81.2.69.0/24', {
    country => { iso_code => 'GB' }, city => { names => { en => 'London' } },
    autonomous_system_number => 20712, autonomous_system_organization => 'Andrews & Arnold Ltd',
});
$tree->insert_network('2001:218::/32', { country => { iso_code => 'JP' } });
$tree->insert_network('89.160.20.0/24', { country => { iso_code => 'SE' }, autonomous_system_number => 29518 });
open my $fh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($fh);
close $fh;

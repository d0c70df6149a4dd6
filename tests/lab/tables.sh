# A large generated IPVS table for the scale tests and benchmarks: source, then
# `lab_big_rules NSVC NDEST >FILE` writes `ipvsadm -R` input.
# Services: mostly TCP, every 4th UDP, every 50th an fwmark; every 10th persistent; schedulers
# and forwarding methods vary. Real servers in 10.64.0.0/10 (private, never contacted).
lab_big_rules() {
	local nsvc=$1 ndest=$2 i j vip svc opts rip fwd
	local scheds=(rr wrr lc wlc sh mh sed nq)
	for ((i = 0; i < nsvc; i++)); do
		vip="10.$((32 + i / 250)).$((i % 250 / 50)).$((i % 50 + 1))"
		if ((i % 50 == 49)); then
			svc="-f $((i + 1))"
		elif ((i % 4 == 3)); then
			svc="-u $vip:53"
		else
			svc="-t $vip:$((80 + i % 3))"
		fi
		opts="-s ${scheds[i % 8]}"
		((i % 10 == 0)) && opts+=" -p $((60 + i))"
		echo "-A $svc $opts"
		for ((j = 0; j < ndest; j++)); do
			rip="10.$((64 + i / 250)).$((i % 250)).$((j + 1))"
			case $((j % 3)) in 0) fwd=-m ;; 1) fwd=-g ;; 2) fwd=-i ;; esac
			echo "-a $svc -r $rip $fwd -w $(((i * 7 + j) % 100))"
		done
	done
}

#!/bin/bash
# The rewriting behaviours a user reported broken, as a user meets them: one line each.
# Usage: FTLINT=.venv/bin/ftlint bash scripts/rewrite_behaviours.sh
F=${FTLINT:-ftlint}
D=$(mktemp -d); cd $D
row() { printf '{"messages":[{"role":"user","content":"%s"},{"role":"assistant","content":"%s"}]}\n' "$1" "$2"; }
for i in $(seq 1 60); do row "问题 $i：怎么退货？" "answer $i: 在订单页申请售后即可"; done > a.jsonl
cp a.jsonl a.orig
(cat a.orig; echo 'not json') > a.jsonl; cp a.jsonl a.orig2
$F fix a.jsonl -o b.jsonl --rejects a.jsonl >/dev/null 2>&1; echo "1 fix --rejects INPUT: exit $? input_intact=$(cmp -s a.jsonl a.orig2 && echo yes || echo NO)"
for i in $(seq 1 100); do row "q $i" "a $i"; done > p.jsonl
$F split p.jsonl --train t.jsonl --validation ./t.jsonl >/dev/null 2>&1; echo "2 split --train t --validation ./t: exit $? lines_in_t=$(wc -l < t.jsonl 2>/dev/null || echo none)"
(head -59 a.orig; echo '{"messages":[{"role":"user","content":"hi","name":"x"},{"role":"assistant","content":"yo"}]}') | gzip > g.jsonl.gz
$F fix g.jsonl.gz --in-place >/dev/null 2>&1; echo "3 in-place .gz: exit $? gzip_magic=$(head -c2 g.jsonl.gz | od -An -tx1 | tr -d ' ')"
(head -59 a.orig; echo '{"messages":[{"role":"user","content":"hi","name":"x"},{"role":"assistant","content":"yo"}]}') > ip.jsonl; cp ip.jsonl ip.orig
$F fix ip.jsonl --in-place >/dev/null 2>&1; $F fix ip.jsonl --in-place >/dev/null 2>&1
found=no; for b in ip.jsonl.bak*; do cmp -s $b ip.orig && found=yes; done; echo "4 two in-place runs: original recoverable=$found"
(head -59 a.orig; echo '{"messages":[{"role":"user","content":"hi","name":"x"},{"role":"assistant","content":"yo"}]}') > f.jsonl; cp f.jsonl f.orig
echo 'broken' >> f.jsonl; cp f.jsonl f.orig; $F fix f.jsonl --in-place --rejects /nonexistent/r.jsonl >/dev/null 2>&1; echo "5 in-place failing with exit 2: exit $? input_intact=$(cmp -s f.jsonl f.orig && echo yes || echo NO)"
(head -59 a.orig; echo '{"messages":[{"role":"user","content":"\ud83d 你好","name":"n"},{"role":"assistant","content":"yo"}]}') > s.jsonl
$F fix s.jsonl -o s.out.jsonl >o.txt 2>&1; echo "6 lone surrogate row: exit $? $(grep -o 'internal error' o.txt | head -1) out_rows=$(wc -l < s.out.jsonl 2>/dev/null)"
(head -59 a.orig; echo "{'messages':[{'role':'user','content':\"see https:\/\/example.com\"},{'role':'assistant','content':'ok'}]}") > u.jsonl
$F fix u.jsonl -o u.out.jsonl >/dev/null 2>&1; echo "7 python literal with \\/: exit $? last_row=$(tail -1 u.out.jsonl 2>/dev/null | cut -c1-80)"
(head -59 a.orig; echo '{"messages":[{"role":"user","content":"hi","name":"x"},{"role":"assistant","content":"yo"}],"x":1e999}') > n.jsonl
$F fix n.jsonl -o n.out.jsonl >/dev/null 2>&1; echo "8 1e999 in repaired row: exit $? Infinity_written=$(grep -c Infinity n.out.jsonl 2>/dev/null)"
(head -30 a.orig; echo '{"messages":[{"role":"user","content":"trunc"},'; echo " $(sed -n 31p a.orig)"; sed -n 32,60p a.orig) > t2.jsonl
$F fix t2.jsonl -o t2.out.jsonl >/dev/null 2>&1; echo "9 truncated line then valid row: exit $? out_rows=$(wc -l < t2.out.jsonl) (want 60)"
python3 - <<'PY'
import json
rows=[json.loads(l) for l in open('a.orig')]
with open('i0.jsonl','w') as f:
    for r in rows[:59]: f.write(json.dumps(r,ensure_ascii=False)+"\n")
    f.write(json.dumps(rows[59],ensure_ascii=False,indent=0)+"\n")
PY
$F fix i0.jsonl -o i0.out.jsonl >/dev/null 2>&1; echo "10 indent=0 object: exit $? out_rows=$(wc -l < i0.out.jsonl) rejected=$(wc -l < i0.out.rejects.jsonl 2>/dev/null || echo 0) (want 60/0)"
(head -59 a.orig; echo "   $(sed -n 60p a.orig)") > w.jsonl
$F fix w.jsonl -o w.out.jsonl >/dev/null 2>&1; echo "11 leading whitespace row: byte_identical=$(cmp -s w.jsonl w.out.jsonl && echo yes || echo NO)"
(cat a.orig; sed -n 1,20p a.orig) > d.jsonl
$F split d.jsonl --train dt.jsonl --validation dv.jsonl >/dev/null 2>&1; echo "12 split duplicates straddling: $(sort dt.jsonl | uniq > x1; sort dv.jsonl | uniq > x2; comm -12 x1 x2 | wc -l) rows in both parts"
python3 - <<'PY'
import json
with open('sg.jsonl','w') as f:
    for i in range(60):
        f.write(json.dumps({"conversations":[{"from":"human","value":f"查天气 {i}"},{"from":"function_call","value":json.dumps({"name":"get_weather","arguments":{"city":"北京"}})},{"from":"observation","value":"{\"temp\": 20}"},{"from":"gpt","value":"北京 20 度"}],"tools":json.dumps([{"name":"get_weather","description":"天气","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]),"images":[]},ensure_ascii=False)+"\n")
PY
$F convert sg.jsonl --from sharegpt -o sg.out.jsonl > sgo.txt 2>&1; echo "13 convert sharegpt tools: exit $? out_rows=$(wc -l < sg.out.jsonl 2>/dev/null) tools_in_out=$(grep -c '"tools"' sg.out.jsonl 2>/dev/null) mentions_dropped=$(grep -ci 'drop' sgo.txt)"
rm -rf "$D"

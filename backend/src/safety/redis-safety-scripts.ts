// Lua for the SafetyStore decisions that are simple enough to state in a few lines; each runs atomically in Redis.
// The breaker is NOT here: it runs the shared TypeScript rules under WATCH/MULTI (redis-breaker.ts), so the two
// adapters cannot drift apart.

/** KEYS[1] lock; ARGV[1] owner. Deletes only when the caller still owns the lock. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS[1] zset; ARGV now, windowMs, limit, member. Sliding window: drop old entries, count, add if it fits. */
export const TAKE_RATE_SLOT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if used >= tonumber(ARGV[3]) then return {0, used} end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return {1, used + 1}`;

/** KEYS[1] counter; ARGV max, ttlMs. Counts one action if the incident is under its cap. */
export const TAKE_INCIDENT_SLOT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return {0, used} end
used = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, used}`;

/**
 * KEYS[1] approval hash; ARGV planHash, decision, by, reason, now.
 * Check-and-set: only a pending, unexpired approval whose planHash matches is decided. Returns {code, status?}.
 */
export const DECIDE_APPROVAL = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not-found'} end
local f = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'planHash')
if f[1] ~= 'pending' then return {'not-pending', f[1] or 'unknown'} end
if tonumber(ARGV[5]) >= tonumber(f[2]) then return {'expired'} end
if f[3] ~= ARGV[1] then return {'plan-changed'} end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'decidedBy', ARGV[3], 'decidedAt', ARGV[5], 'reason', ARGV[4])
return {'ok'}`;
